// Task-protocol messages made only of plain scalars travel as one JSON string instead of an array.
//
// Why: with `serialization: "advanced"`, Node's IPC runs every message through V8's ValueSerializer, whose
// first object in a message costs ~1.4 µs on each side (the serializer sets up its object-identity map),
// while a string costs about what a number does. A typical task message ([slot, code, arg]) and its result
// ([MSG_RESULTS, slot, status, value]) hold nothing but numbers and short strings, so sending them as a
// string saves that cost twice per round trip (measured: ~55 -> ~49 µs per sequential round trip, pinned).
// Anything else (objects, undefined, NaN, -0, bigint, long strings) keeps the array, cloned as before.
//
// A string is never ambiguous: every other message between parent and child is an array or an object.

/** Strings longer than this keep the structured clone (JSON would have to scan and escape them). */
const MAX_STRING = 256;

/** True if JSON.stringify/JSON.parse gives `v` back exactly (no object, no -0, NaN, Infinity, undefined). */
function isFlatScalar(v: unknown): boolean {
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) && (v !== 0 || 1 / v > 0);
    case "string":
      return v.length <= MAX_STRING;
    case "boolean":
      return true;
    default:
      return v === null;
  }
}

/**
 * The form a task-protocol message travels in: a JSON string when every element is a flat scalar, else
 * the array itself.
 *
 * @example
 * ```ts
 * flatten([0, 264, 7]); // "[0,264,7]"
 * flatten([0, 264, { a: 1 }]); // the array, unchanged
 * ```
 */
export function flatten(message: unknown[]): unknown[] | string {
  for (let i = 0; i < message.length; i++) if (!isFlatScalar(message[i])) return message;
  return JSON.stringify(message);
}

/**
 * The task-protocol message behind what {@link flatten} produced, or undefined when `received` is not a
 * task-protocol message (an object: a start message, an order or a report).
 *
 * @example
 * ```ts
 * unflatten("[0,264,7]"); // [0, 264, 7]
 * ```
 */
export function unflatten(received: unknown): unknown[] | undefined {
  if (typeof received === "string") return JSON.parse(received) as unknown[];
  return Array.isArray(received) ? received : undefined;
}
