// Task module for recipe 12.3: threads that wake up on every tick of a periodic timer.
// The tick counter lives in shared memory (an Int32Array over a SharedArrayBuffer) so every thread reads
// the same value; the Condition's lock protects it and the Condition carries the wake-ups. The threads wait
// asynchronously (Atomics.waitAsync), so their event loops stay free and their console output flows at once;
// `cond.waitForSync` would work too, but a thread blocked in it holds back its own console output.
import type { Condition, Guard } from "@weft/sync";

/** Waits until the tick counter moves past `last`; returns the new tick. */
async function waitForTick(cond: Condition, ticks: Int32Array, last: number): Promise<number> {
  const held = (await cond.acquire()) as Guard;
  try {
    return await cond.waitFor(() => (ticks[0]! > last ? ticks[0]! : 0));
  } finally {
    held.release();
  }
}

export async function countdown(nticks: number, cond: Condition, ticks: Int32Array): Promise<void> {
  let last = 0;
  while (nticks > 0) {
    last = await waitForTick(cond, ticks, last);
    console.log(`tick ${last}: T-minus ${nticks}`);
    nticks -= 1;
  }
}

export async function countup(last: number, cond: Condition, ticks: Int32Array): Promise<void> {
  let n = 0;
  let seen = 0;
  while (n < last) {
    seen = await waitForTick(cond, ticks, seen);
    console.log(`tick ${seen}: Counting ${n}`);
    n += 1;
  }
}
