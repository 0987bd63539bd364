// Keeps one instance of each per-task object shape alive for the life of the process.
//
// Why: V8 holds the hidden classes (maps) that an object gets as its fields are added only weakly, through
// the transitions of the class's initial map. When a full (mark-compact) GC runs while no instance is alive
// (an idle pool: every Task and Future of the last batch is garbage), those maps die, and every optimized
// function that checks them is thrown away ("deoptimizing ... reason: weak objects"). The next tasks then
// build new maps and run unoptimized code until V8 optimizes it again: measured on a pool of 2 moving a
// 16 MiB buffer back and forth, 26 µs per round trip before a full GC, 35-60 µs for the next ~3,000 round
// trips after it. One live instance per shape keeps the maps, so the code stays optimized.

const anchors: unknown[] = [];

/**
 * Keeps `instance` (and so its hidden class) alive forever. Call it once per shape, at module load, with an
 * instance built by the same constructor and field writes as the hot path's objects. Returns `instance`.
 */
export function anchorShape<T>(instance: T): T {
  anchors.push(instance);
  return instance;
}
