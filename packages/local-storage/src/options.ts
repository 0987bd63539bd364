// Checks of the options objects of this package. @weft/local-storage is a leaf (it imports no other weft
// package), so it has its own copy of the message style every weft package uses.

/** @internal What a value is, for a message: `null`, `an array`, `a function`, else its typeof. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  return typeof value;
}

/** Lower case without `_` and `-`, so that `Init` and `init`, or `de_fault` and `default`, compare equal. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function edits(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** The valid name a misspelt `key` is closest to, or undefined when none is close (the first on a tie). */
function nearest(key: string, known: readonly string[]): string | undefined {
  const k = fold(key);
  let best: string | undefined;
  let bound = k.length <= 4 ? 1 : k.length <= 8 ? 2 : 3;
  for (const name of known) {
    const d = edits(k, fold(name));
    if (d < bound || (d === bound && best === undefined)) {
      best = name;
      bound = d;
    }
    if (d === 0) break;
  }
  return best;
}

/**
 * @internal Throws a TypeError when `options` has an own or inherited enumerable key that is not in `known`, or
 * an own enumerable symbol key: the message names the key, the nearest valid name and the valid names. It also
 * reads every known option once, so that one whose getter throws (or a Proxy whose traps throw) is a TypeError
 * naming it, with what was thrown as `cause`, rather than the thrown value escaping raw.
 */
export function checkOptionKeys(where: string, options: object, known: readonly string[]): void {
  let unknown: string | symbol | undefined;
  // The known option being read, or undefined while the keys are listed.
  let reading: string | undefined;
  try {
    for (const key in options) {
      if (!known.includes(key)) {
        unknown = key;
        break;
      }
    }
    if (unknown === undefined) {
      for (const symbol of Object.getOwnPropertySymbols(options)) {
        if (Object.prototype.propertyIsEnumerable.call(options, symbol)) {
          unknown = symbol;
          break;
        }
      }
    }
    if (unknown === undefined) {
      for (const key of known) {
        reading = key;
        void (options as Record<string, unknown>)[key];
      }
    }
  } catch (cause) {
    const thrown = describeThrown(cause);
    throw new TypeError(
      reading === undefined
        ? `${where} could not be read: listing its keys threw (${thrown}); pass a plain object`
        : `${where}: option ${JSON.stringify(reading)} could not be read: its getter threw (${thrown}); pass ` +
            "the value itself",
      { cause },
    );
  }
  if (unknown === undefined) return;
  const valid = `valid options: ${known.join(", ")}`;
  if (typeof unknown === "symbol") {
    throw new TypeError(`${where}: unknown option ${String(unknown)} (option names are strings); ${valid}`);
  }
  const near = nearest(unknown, known);
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  throw new TypeError(`${where}: unknown option ${JSON.stringify(unknown)}${hint}; ${valid}`);
}

/**
 * @internal A short description of a thrown value, which never throws itself (as @weft/sync's describeThrown:
 * this package imports no other weft package).
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
    return typeof thrown === "symbol" ? thrown.toString() : String(thrown);
  } catch {
    return "a value that cannot be described";
  }
}
