// Checks of the options objects of this package. @weft/local-storage is a leaf (it imports no other weft
// package), so it has its own copy of the message style every weft package uses.

/** @internal What a value is, for a message: `null`, `an array`, `a function`, else its typeof. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  return typeof value;
}
