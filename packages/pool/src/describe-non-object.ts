// How option checks name a value given where an options object belongs.

/** What a value given where an options object belongs is, for a message: `null`, `an array`, `number 5`, ... */
export function describeNonObject(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  return `${typeof value} ${String(value)}`;
}
