import { checkTimeout } from "@weft/sync/extension";

/**
 * A `timeout` option of the user-facing waits (Future.result/exception, wait, asCompleted, map) as a number:
 * undefined (left out) is Infinity (no limit); anything but a number >= 0 or Infinity throws
 * InvalidTimeoutError naming `who`.
 */
export function timeoutOption(who: string, value: unknown): number {
  return checkTimeout(`${who}: timeout`, value === undefined ? Number.POSITIVE_INFINITY : value);
}
