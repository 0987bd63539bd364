/**
 * Which SharedArrayBuffers are process-shared mappings, under which name, shared by every copy of this
 * module in the process (ESM and CJS builds both load: one registry on globalThis avoids a split brain).
 */
interface Registry {
  /** Name of every mapping created or attached in this thread. */
  names: WeakMap<SharedArrayBuffer, string>;
  /** One mapping per name, reused by later attaches while it is alive. */
  byName: Map<string, WeakRef<SharedArrayBuffer>>;
  /** Names this process created and has not unlinked yet (unlinked at exit). */
  owned: Set<string>;
  /** Unlinks an owned name once its creator's buffer is garbage-collected. */
  finalizer: FinalizationRegistry<string>;
  exitHook: boolean;
}

const key = Symbol.for("@weft/native/registry");

export function registry(): Registry {
  const g = globalThis as { [key]?: Registry };
  g[key] ??= {
    names: new WeakMap(),
    byName: new Map(),
    owned: new Set(),
    finalizer: new FinalizationRegistry((name) => unlinkOwned(name)),
    exitHook: false,
  };
  return g[key];
}

let unlinkImpl: (name: string) => void = () => {};

/** Set by shared-memory.ts (keeps this module free of the native binding). */
export function setUnlink(fn: (name: string) => void): void {
  unlinkImpl = fn;
}

export function unlinkOwned(name: string): void {
  const r = registry();
  if (!r.owned.delete(name)) return;
  try {
    unlinkImpl(name);
  } catch {
    // Already gone or not ours any more: nothing to clean.
  }
}
