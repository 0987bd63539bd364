import type { ResourceLimits } from "node:worker_threads";
import { checkOptionKeys } from "@weft/sync/extension";

const RESOURCE_LIMIT_KEYS: ReadonlySet<string> = new Set(
  Object.keys({
    maxYoungGenerationSizeMb: true,
    maxOldGenerationSizeMb: true,
    codeRangeSizeMb: true,
    stackSizeMb: true,
  } satisfies Record<keyof ResourceLimits, true>),
);

/**
 * Checks a worker's `resourceLimits` option (Node's `new Worker({ resourceLimits })`): undefined, or an object
 * of the four known keys, each a finite number of megabytes > 0. Returns a copy of the checked limits, so that
 * a later change to the caller's object cannot reach the workers started from it.
 *
 * @param where - how the message names the option, e.g. `"new Thread({ resourceLimits })"`
 * @param value - the option as given
 * @param makeError - builds the caller's error class (ThreadOptionError, PoolOptionError, ...)
 * @example
 * ```ts
 * import { checkResourceLimits } from "@weft/threads/extension";
 * const limits = checkResourceLimits("my option", { stackSizeMb: 8 }, (m) => new TypeError(m));
 * ```
 */
export function checkResourceLimits(
  where: string,
  value: unknown,
  makeError: (message: string) => Error,
): ResourceLimits | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got =
      value === null
        ? "null"
        : Array.isArray(value)
          ? "an array"
          : typeof value === "function"
            ? "a function"
            : `${typeof value} ${String(value)}`;
    throw makeError(`${where} must be an object such as { maxOldGenerationSizeMb: 256 }, got ${got}`);
  }
  checkOptionKeys(where, value, RESOURCE_LIMIT_KEYS, makeError, true);
  const limits: Record<string, number> = {};
  for (const key of RESOURCE_LIMIT_KEYS) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
      throw makeError(`resourceLimits.${key} must be a number of megabytes > 0, got ${String(v)}`);
    }
    limits[key] = v;
  }
  return limits as ResourceLimits;
}
