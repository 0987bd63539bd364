import { MarshalError, marshal } from "@weft/sync";

/** Whether marshal must look at `v`: every object and function, and symbols (which cannot cross). */
function needsCheck(v: unknown): boolean {
  return v !== null && (typeof v === "object" || typeof v === "function" || typeof v === "symbol");
}

/**
 * Throws a MarshalError naming the path (e.g. `args[1].counts`) of the first value that cannot reach a child
 * process intact: SharedArrayBuffers and views over them, weft primitives in thread-only memory, and
 * whatever marshal rejects (functions, class instances, ...). See @weft/sync's `crossProcess` option.
 * Other primitive values cost nothing.
 */
export function assertCrossable(values: readonly unknown[], root: string): void {
  for (let i = 0; i < values.length; i++) {
    if (needsCheck(values[i])) {
      marshal.encode(values, { path: root, crossProcess: true });
      return;
    }
  }
}

/** {@link assertCrossable} for one value whose path is `path` (e.g. `items[3]`). */
export function assertValueCrossable(value: unknown, path: string): void {
  if (needsCheck(value)) marshal.encode(value, { path, crossProcess: true });
}

/**
 * After a send failed: the MarshalError naming the first value in `encoded` (marshal-encoded data, as the
 * pool core and task server send it) that cannot reach another process, or undefined if none is found.
 */
export function findUnsendable(encoded: unknown, root: string): MarshalError | undefined {
  try {
    marshal.encode(marshal.decode(encoded), { path: root, crossProcess: true });
  } catch (err) {
    if (err instanceof MarshalError) return err;
  }
  return undefined;
}
