// What an error message can say about a thrown value, in one place for every weft package that wraps a caught
// value into its own error (the marshal walk's unreadable getters, the distributed codec's unsendable outcomes).

/**
 * A short description of a thrown value for an error message: an Error's `name: message`, anything else as
 * `String(value)`, and a fixed phrase when even that throws (a Proxy, an object whose `toString` throws, a
 * symbol's description is fine). Never throws. Extension API.
 *
 * @example
 * ```ts
 * import { describeThrown } from "@weft/sync/extension";
 * describeThrown(new RangeError("too big")); // "RangeError: too big"
 * describeThrown(Object.create(null));        // "a value that cannot be described"
 * ```
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
    return typeof thrown === "symbol" ? thrown.toString() : String(thrown);
  } catch {
    return "a value that cannot be described";
  }
}
