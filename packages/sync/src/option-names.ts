// One way for every weft package to refuse an options object with a key it does not know (a typo such as
// `maxWorker`, a Python spelling such as `max_workers`), and one message style: the key, the nearest valid
// name, and the valid names.

import { describeThrown } from "./describe-thrown.js";

/** Lower case without `_` and `-`: `max_workers`, `MaxWorkers` and `maxWorkers` compare equal. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short strings. */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The valid name closest to a misspelt one, or undefined when none is close: equal ignoring case, `_` and
 * `-`, or within a small edit distance (1 for names up to 4 letters, 2 up to 8, else 3).
 *
 * @param key - the name given
 * @param known - the valid names
 * @example
 * ```ts
 * import { nearestName } from "@weft/sync/extension";
 * nearestName("maxWorker", ["maxWorkers", "minWorkers"]); // "maxWorkers"
 * nearestName("max_workers", ["maxWorkers", "minWorkers"]); // "maxWorkers"
 * nearestName("colour", ["maxWorkers"]); // undefined
 * ```
 */
export function nearestName(key: string, known: Iterable<string>): string | undefined {
  const k = fold(key);
  let best: string | undefined;
  let bestDistance = k.length <= 4 ? 1 : k.length <= 8 ? 2 : 3;
  for (const name of known) {
    const d = distance(k, fold(name));
    if (d === 0) return name;
    if (d <= bestDistance) {
      // On a tie the first name listed wins.
      if (best === undefined || d < bestDistance) best = name;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws the error `makeError` builds when `options` has an own or inherited enumerable key that is not in
 * `known`: the message names the key, the nearest valid name ("did you mean ...?") and every valid name.
 * Allocates and reads nothing when every key is known, for the per-call options of waits, tasks and encodes
 * (a Proxy whose keys cannot be listed is still named as the options object).
 *
 * With `everyKey` (the options of a constructor, checked once), it also refuses an own enumerable symbol key
 * (a symbol is never an option name) and reads every known option, so that one whose getter throws (or a
 * Proxy whose traps throw) is refused here, with a message naming the option and the thrown value as the
 * error's `cause`, instead of escaping raw from the caller's checks.
 *
 * @param where - how the message names the options, e.g. `"ThreadPoolExecutor options"`
 * @param options - the object to check (an object; check that first)
 * @param known - the valid keys
 * @param makeError - builds the package's own error class from the message (and, for an option that could not
 * be read, `{ cause }`; when the error it returns has no `cause`, one is set)
 * @param everyKey - also refuse symbol keys and read every known option (allocates: for constructors' options)
 * @example
 * ```ts
 * import { checkOptionKeys } from "@weft/sync/extension";
 * const KNOWN = new Set(["timeout", "signal"]);
 * checkOptionKeys("wait options", { timout: 5 }, KNOWN, (m) => new TypeError(m));
 * // TypeError: wait options: unknown option "timout" (did you mean "timeout"?); valid options: timeout, signal
 * checkOptionKeys("new Pool options", { get timeout() { throw new Error("boom"); } }, KNOWN, (m) => new TypeError(m), true);
 * // TypeError: new Pool options: option "timeout" could not be read: its getter threw (Error: boom); pass the value itself
 * ```
 */
export function checkOptionKeys(
  where: string,
  options: object,
  known: ReadonlySet<string>,
  makeError: (message: string, options?: ErrorOptions) => Error,
  everyKey = false,
): void {
  let unknown: string | symbol | undefined;
  // The known option being read, or undefined while the keys are listed.
  let reading: string | undefined;
  try {
    for (const key in options) {
      if (!known.has(key)) {
        unknown = key;
        break;
      }
    }
    if (everyKey && unknown === undefined) {
      const symbols = Object.getOwnPropertySymbols(options);
      for (let i = 0; i < symbols.length; i++) {
        const symbol = symbols[i]!;
        if (Object.prototype.propertyIsEnumerable.call(options, symbol)) {
          unknown = symbol;
          break;
        }
      }
      if (unknown === undefined) {
        for (const key of known) {
          reading = key;
          void (options as Record<string, unknown>)[key];
        }
      }
    }
  } catch (cause) {
    throw unreadable(where, reading, cause, makeError);
  }
  if (unknown === undefined) return;
  const valid = [...known].join(", ");
  if (typeof unknown === "symbol") {
    throw makeError(
      `${where}: unknown option ${String(unknown)} (option names are strings); valid options: ${valid}`,
    );
  }
  const near = nearestName(unknown, known);
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  throw makeError(`${where}: unknown option ${JSON.stringify(unknown)}${hint}; valid options: ${valid}`);
}

/** The error for options that threw `cause` while their keys were listed, or while option `key` was read. */
function unreadable(
  where: string,
  key: string | undefined,
  cause: unknown,
  makeError: (message: string, options?: ErrorOptions) => Error,
): Error {
  const thrown = describeThrown(cause);
  const error = makeError(
    key === undefined
      ? `${where} could not be read: listing its keys threw (${thrown}); pass a plain object`
      : `${where}: option ${JSON.stringify(key)} could not be read: its getter threw (${thrown}); pass the ` +
          "value itself",
    { cause },
  );
  if (!Object.hasOwn(error, "cause")) {
    Object.defineProperty(error, "cause", { value: cause, writable: true, configurable: true });
  }
  return error;
}

/** @internal What a value is, for a message: `null`, `an array`, `a function`, else its typeof. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  return typeof value;
}

/** @internal The `makeError` of @weft/sync's own option checks: a plain TypeError. */
export function optionTypeError(message: string, options?: ErrorOptions): TypeError {
  return new TypeError(message, options);
}
