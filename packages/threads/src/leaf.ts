import { types } from "node:util";
import { isDetachedBuffer } from "@weft/sync/extension";

/**
 * True for values that structured clone carries as they are and that cannot contain a weft primitive:
 * primitives other than symbols, ArrayBuffers and views over them (not detached ones: structured clone refuses
 * those, and the walk names their path). Such arguments and results skip the
 * marshal walk, which refuses the rest by path (symbols, proxies, functions, ...). A Proxy passes
 * `instanceof ArrayBuffer` through its target's prototype, so that case is checked for one (extension API).
 *
 * @example
 * ```ts
 * import { isLeaf } from "@weft/threads/extension";
 * const encoded = !args.every(isLeaf); // false for numbers, strings and buffers: they cross as they are
 * ```
 */
export function isLeaf(v: unknown): boolean {
  if (v === null || (typeof v !== "object" && typeof v !== "function" && typeof v !== "symbol")) return true;
  // A Proxy first, before `instanceof` runs its getPrototypeOf trap (which may throw, or be revoked).
  if (types.isProxy(v)) return false;
  if (v instanceof ArrayBuffer) return !isDetachedBuffer(v);
  return ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !isDetachedBuffer(v.buffer);
}
