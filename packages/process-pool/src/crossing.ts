import type { MarshalError, marshal } from "@weft/sync";

/** The part of @weft/sync that {@link findUnsendable} uses (a child loads @weft/sync only on first need). */
export interface MarshalWalk {
  readonly marshal: typeof marshal;
  readonly MarshalError: typeof MarshalError;
}

/**
 * After a send failed: the MarshalError naming the first value in `encoded` (marshal-encoded data, as the
 * pool core and task server send it) that cannot reach another process, or undefined if none is found.
 */
export function findUnsendable(sync: MarshalWalk, encoded: unknown, root: string): MarshalError | undefined {
  try {
    sync.marshal.encode(sync.marshal.decode(encoded), { path: root, crossProcess: true });
  } catch (err) {
    if (err instanceof sync.MarshalError) return err;
  }
  return undefined;
}
