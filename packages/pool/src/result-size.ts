// How many bytes a result adds to a message, bounded (for TaskEndpoint.writeLimit): a child process holds a
// result for a batch during its next task only while what it holds surely leaves in one write of its IPC
// channel. Small plain data (the common result of a quick task) is measured; anything larger than the limit,
// with more than VALUES values, or of another kind (a Map, a class the marshal walk encoded) counts as
// Infinity: it is sent before the next task starts. No allocation: a walk over at most VALUES values.

import { STATUS_SKIPPED } from "./message-codec.js";

/** What one value adds besides its contents (a tag, a length, a key's framing), in bytes; an upper bound. */
const VALUE_BYTES = 16;
/** Values walked at most per result: past them, its size counts as unknown. */
const VALUES = 64;

let left = 0;

function sizeOf(v: unknown, limit: number): number {
  if (--left < 0) return Number.POSITIVE_INFINITY;
  switch (typeof v) {
    case "string":
      return VALUE_BYTES + 2 * v.length;
    case "number":
    case "boolean":
    case "undefined":
      return VALUE_BYTES;
    case "object": {
      if (v === null) return VALUE_BYTES;
      if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return VALUE_BYTES + v.byteLength;
      let n = VALUE_BYTES;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length && n <= limit; i++) n += sizeOf(v[i], limit);
        return n;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return Number.POSITIVE_INFINITY;
      for (const key in v) {
        if (n > limit) break;
        n += VALUE_BYTES + 2 * key.length + sizeOf((v as Record<string, unknown>)[key], limit);
      }
      return n;
    }
    default:
      return Number.POSITIVE_INFINITY; // a bigint (of any length), a symbol, a function
  }
}

/**
 * An upper bound of the bytes a result with `status` and `value` (as the wire carries it: encoded, or an error
 * as data) adds to a message, or Infinity once it exceeds `limit` or cannot be told cheaply.
 *
 * @example
 * ```ts
 * resultBytes(STATUS_OK, 42, 8192); // 32
 * resultBytes(STATUS_OK, "x".repeat(10_000), 8192); // Infinity
 * ```
 */
export function resultBytes(status: number, value: unknown, limit: number): number {
  if (status === STATUS_SKIPPED) return VALUE_BYTES;
  left = VALUES;
  try {
    const n = VALUE_BYTES + sizeOf(value, limit);
    return n > limit ? Number.POSITIVE_INFINITY : n;
  } catch {
    return Number.POSITIVE_INFINITY; // a getter that throws: structured clone will say so
  }
}
