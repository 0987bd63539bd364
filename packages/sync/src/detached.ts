// Whether an ArrayBuffer's memory was transferred away, asked in one place for the marshal walk (which names the
// path of such an argument) and for the leaf check of the threads and pools (which sends leaves unwalked).

/**
 * True when `buffer` is detached: its memory was transferred away (postMessage with a transfer list,
 * `transfer()`, ...), so structured clone refuses it. A detached buffer has byteLength 0, so only empty buffers
 * pay for the check (`slice` throws on a detached one). Extension API.
 *
 * @example
 * ```ts
 * import { isDetachedBuffer } from "@weft/sync/extension";
 * const b = new ArrayBuffer(8);
 * structuredClone(b, { transfer: [b] });
 * isDetachedBuffer(b); // true
 * ```
 */
export function isDetachedBuffer(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    buffer.slice(0, 0);
    return false;
  } catch {
    return true;
  }
}
