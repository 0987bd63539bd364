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

// A ticketed futex word (Lock): bits 0-1 are the three-state futex above, bits 2-31 a hold ticket that
// every acquisition advances by one (wrapping). A guard remembers the ticket of its acquisition, so a stale
// guard (its hold already ended, perhaps re-taken by someone else) is told apart from the current holder's
// in the same atomic step that would release it. The ticket costs nothing extra: the uncontended acquire
// stays one compare-exchange (against the value the word had when this object last saw it free; a load
// before the compare-exchange would halve the uncontended speed), the release one atomic AND.

/** @internal Mask of the futex state bits of a ticketed word. */
export const STATE_BITS = 3;
/** @internal One ticket step. */
export const TICKET_STEP = 4;

/** @internal The ticket of a ticketed word value (a small integer, kept in V8's Smi range). */
export function ticketOf(word: number): number {
  return word >> 2;
}

// What the last contendOnce that returned 0 wants its caller to sleep on (read right after the call).
let sleepOn = 0;

/**
 * One round of the contended path, starting from a guess of the word's value (no load: the compare-exchange
 * reports the real value when the guess is wrong, and a wait on a wrong value returns at once): takes the
 * word, marked "maybe waited on" (returns its new value, never 0), or marks it waited on and returns 0 with
 * `sleepOn` set to the value to sleep on.
 */
function contendOnce(i32: Int32Array, index: number, guess: number): number {
  let c = guess;
  for (;;) {
    const s = c & STATE_BITS;
    if (s === 2) {
      sleepOn = c;
      return 0;
    }
    const want = s === 0 ? ((c + TICKET_STEP) & ~STATE_BITS) | 2 : c + 1;
    const seen = Atomics.compareExchange(i32, index, c, want);
    if (seen === c) {
      if (s === 0) return want;
      sleepOn = want;
      return 0;
    }
    c = seen;
  }
}

/**
 * @internal Park steps that take a ticketed word: its new value, or 0 if the deadline passed. `guess` is the
 * value the word probably has (e.g. held under the ticket last seen).
 */
export function* ticketLockSteps(
  st: SharedState,
  index: number,
  deadline: number,
  guess: number,
): Steps<number> {
  let n = contendOnce(st.i32, index, guess);
  while (n === 0) {
    if (!(yield park(st, index, sleepOn, deadline))) return 0;
    // Woken (or the value moved): most likely its holder just released it.
    n = contendOnce(st.i32, index, sleepOn & ~STATE_BITS);
  }
  return n;
}

/** @internal Takes a ticketed word, blocking the thread with no deadline: its new value. */
export function ticketLockBlocking(i32: Int32Array, index: number, waiter: Waiter, guess: number): number {
  let n = contendOnce(i32, index, guess);
  while (n === 0) {
    waiter.wait(i32, index, sleepOn, Number.POSITIVE_INFINITY);
    n = contendOnce(i32, index, sleepOn & ~STATE_BITS);
  }
  return n;
}
