import type { TransferListItem } from "node:worker_threads";
import { anchorShape } from "./shape-anchors.js";

/** Something `transfer()` can move: an ArrayBuffer, a MessagePort, ... (worker_threads TransferListItem). */
export type TransferItem = TransferListItem;

const BRAND = Symbol.for("@weft/pool.transfer");

interface Marked {
  [BRAND]: true;
  value: unknown;
  list: readonly TransferItem[];
}

/**
 * Marks a value to be moved, not copied, across threads: the ArrayBuffers (or MessagePorts) in `list` are
 * transferred and become unusable on the sending side. Use it on a top-level argument of `submit`, or on
 * what a task returns. Typed as the value itself, so types still flow through `submit`.
 *
 * @example
 * ```ts
 * const buf = new ArrayBuffer(16 << 20);
 * const back = await pool.submit(fill, transfer(buf, [buf])); // buf is detached here now
 * // in the task module: export function fill(b: ArrayBuffer) { ...; return transfer(b, [b]); }
 * ```
 */
export function transfer<T>(value: T, list: readonly TransferItem[]): T {
  if (!Array.isArray(list))
    throw new TypeError("transfer(value, list): list must be an array of ArrayBuffers");
  return { [BRAND]: true, value, list } satisfies Marked as unknown as T;
}

/** Internal: true when `v` came from {@link transfer}. */
export function isTransfer(v: unknown): v is Marked {
  return typeof v === "object" && v !== null && (v as Marked)[BRAND] === true;
}

/** Internal: the value inside a transfer mark, pushing its transfer list onto `into`. */
export function unwrapTransfer(v: Marked, into: TransferItem[]): unknown {
  for (const t of v.list) into.push(t);
  return v.value;
}

// The mark's hidden class (a literal with a computed key gets its map by a transition) must outlive idle
// periods (see shape-anchors.ts): task modules return marks on every call.
anchorShape(transfer(undefined, []));
