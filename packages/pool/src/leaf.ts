/**
 * True for values that structured clone carries as they are and that cannot contain a weft primitive:
 * primitives, ArrayBuffers and views over them. Such arguments and results skip the marshal walk.
 */
export function isLeaf(v: unknown): boolean {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return true;
  if (v instanceof ArrayBuffer) return true;
  return ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer;
}
