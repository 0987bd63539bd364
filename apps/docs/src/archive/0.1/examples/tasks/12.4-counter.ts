// Task module for recipe 12.4: what each thread runs. The Lock arrives as the same lock (same shared memory)
// the main thread created; `cells` is an Int32Array over a SharedArrayBuffer holding the counter.
import type { Barrier, Guard, Lock } from "@weft/sync";

/** Increments cells[0] n times, each time under the lock (blocking this worker thread while it waits). */
export function incrementMany(lock: Lock, cells: Int32Array, n: number): number {
  for (let i = 0; i < n; i++) {
    using _ = lock.acquireSync() as Guard;
    cells[0] = cells[0]! + 1;
  }
  return n;
}

/**
 * The same loop without the lock: read-modify-write races with the other threads and loses updates. The
 * barrier makes all threads start together (otherwise a thread may finish before the next one has started).
 */
export function incrementManyUnlocked(cells: Int32Array, n: number, start: Barrier): number {
  start.waitSync();
  for (let i = 0; i < n; i++) {
    const v = cells[0]!;
    let spin = 0;
    for (let k = 0; k < 10; k++) spin += k;
    cells[0] = v + 1 + (spin & 0);
  }
  return n;
}
