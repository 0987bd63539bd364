import { checkTimeout } from "@weft/sync/extension";

/**
 * A `timeout` option of the user-facing waits (Future.result/exception, wait, asCompleted, map) as a number:
 * undefined (left out) is Infinity (no limit); anything but a number >= 0 or Infinity throws
 * InvalidTimeoutError naming `who`. A valid value costs no allocation (the message is built only to throw).
 */
export function timeoutOption(who: string, value: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value === "number" && value >= 0) return value;
  return checkTimeout(`${who}: timeout`, value);
}
