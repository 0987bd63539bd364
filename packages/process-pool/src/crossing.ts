import { MarshalError, marshal } from "@weft/sync";

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
