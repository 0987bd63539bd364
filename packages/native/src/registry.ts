/** One mapping as this thread knows it: the segment's name and which segment it was ("<dev>:<ino>"). */
interface MappingInfo {
  name: string;
  key: string;
}

/**
 * Which SharedArrayBuffers are process-shared mappings, under which name, shared by every copy of this
 * module in the thread (ESM and CJS builds both load: one registry on globalThis avoids a split brain).
 * Ownership of names (unlinking at close, at garbage collection and at exit) is kept by the addon itself,
 * process-wide, so it holds whichever thread created a segment.
 */
interface Registry {
  /** Every mapping created or attached in this thread. */
  mappings: WeakMap<SharedArrayBuffer, MappingInfo>;
  /** The live mapping of each name in this thread, reused by later attaches while the name still denotes it. */
  byName: Map<string, { buffer: WeakRef<SharedArrayBuffer>; key: string }>;
  /** Drops `byName` entries whose buffer was garbage-collected. */
  finalizer: FinalizationRegistry<string>;
}

const key = Symbol.for("@weft/native/registry/v2");

export function registry(): Registry {
  const g = globalThis as { [key]?: Registry };
  if (g[key] === undefined) {
    const byName: Registry["byName"] = new Map();
    g[key] = {
      mappings: new WeakMap(),
      byName,
      finalizer: new FinalizationRegistry((name) => {
        if (byName.get(name)?.buffer.deref() === undefined) byName.delete(name);
      }),
    };
  }
  return g[key];
}

/** Records a new mapping of `name` in this thread. */
export function remember(buffer: SharedArrayBuffer, name: string, segmentKey: string): void {
  const r = registry();
  r.mappings.set(buffer, { name, key: segmentKey });
  r.byName.set(name, { buffer: new WeakRef(buffer), key: segmentKey });
  r.finalizer.register(buffer, name);
}
