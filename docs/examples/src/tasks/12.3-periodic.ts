// Task module for recipe 12.3: threads that wake up on every tick of a periodic timer.
// The tick counter lives in shared memory (an Int32Array over a SharedArrayBuffer) so every thread reads
// the same value; the Condition's lock protects it and the Condition carries the wake-ups.
import type { Condition, Guard } from "@weft/sync";

/** Blocks (this is a worker thread) until the tick counter moves past `last`; returns the new tick. */
function waitForTick(cond: Condition, ticks: Int32Array, last: number): number {
  using _held = cond.acquireSync() as Guard;
  return cond.waitForSync(() => (ticks[0]! > last ? ticks[0]! : 0));
}

export function countdown(nticks: number, cond: Condition, ticks: Int32Array): void {
  let last = 0;
  while (nticks > 0) {
    last = waitForTick(cond, ticks, last);
    console.log(`tick ${last}: T-minus ${nticks}`);
    nticks -= 1;
  }
}

export function countup(last: number, cond: Condition, ticks: Int32Array): void {
  let n = 0;
  let seen = 0;
  while (n < last) {
    seen = waitForTick(cond, ticks, seen);
    console.log(`tick ${seen}: Counting ${n}`);
    n += 1;
  }
}
