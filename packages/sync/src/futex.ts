import type { SharedState } from "./memory.js";
import { park, type Steps } from "./park.js";
import type { Waiter } from "./waiter.js";

// A three-state futex mutex word: 0 free, 1 locked, 2 locked and maybe waited on.

/** @internal Park steps that take the futex word at `index`; false if the deadline passed. */
export function* futexLockSteps(st: SharedState, index: number, deadline: number): Steps<boolean> {
  const i32 = st.i32;
  let c = Atomics.compareExchange(i32, index, 0, 1);
  if (c === 0) return true;
  if (c !== 2) c = Atomics.exchange(i32, index, 2);
  while (c !== 0) {
    if (!(yield park(st, index, 2, deadline))) return false;
    c = Atomics.exchange(i32, index, 2);
  }
  return true;
}

/** @internal Takes the futex word, blocking the thread (for bookkeeping sections of a few instructions). */
export function futexLockBlocking(i32: Int32Array, index: number, waiter: Waiter): void {
  let c = Atomics.compareExchange(i32, index, 0, 1);
  if (c === 0) return;
  if (c !== 2) c = Atomics.exchange(i32, index, 2);
  while (c !== 0) {
    waiter.wait(i32, index, 2, Number.POSITIVE_INFINITY);
    c = Atomics.exchange(i32, index, 2);
  }
}

/** @internal Frees the futex word; returns false if it was not locked. */
export function futexUnlock(i32: Int32Array, index: number, waiter: Waiter): boolean {
  const prev = Atomics.exchange(i32, index, 0);
  if (prev === 2) waiter.notify(i32, index, 1);
  return prev !== 0;
}
