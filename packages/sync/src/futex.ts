import { lastTake, nextCheck, recordDead, recordHolder } from "./abandon.js";
import { LIVENESS_SLICE_MS } from "./liveness.js";
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

// A ticketed futex word (Lock): bit 0 "locked", bit 1 "maybe waited on", bits 2-31 a hold ticket that
// every release advances by one (wrapping). A hold's ticket is the one the word carried when it was taken,
// and a guard remembers it, so a stale guard (its hold already ended, perhaps re-taken by someone else) is
// told apart from the current holder's in the same atomic step that would release it. Because acquiring
// does not change the ticket, taking the word is a plain `Atomics.or` that needs no guess of its value: the
// uncontended acquire is always one atomic operation (a compare-exchange would have to guess the ticket and
// misses whenever another thread took the lock in between), the contended round another `or` (as the
// hand-written futex mutex's exchange), and the release one compare-exchange from the value the releasing
// guard knows exactly.

/** @internal The "locked" bit of a ticketed word. */
export const LOCKED = 1;
/** @internal The "maybe waited on" bit of a ticketed word. */
export const WAITED = 2;
/** @internal Mask of the state bits of a ticketed word. */
export const STATE_BITS = 3;

/** @internal The free word that follows the hold `word` (its ticket advanced by one, state bits clear). */
export function nextFree(word: number): number {
  return ((word & ~STATE_BITS) + 4) | 0;
}

/**
 * @internal If the ticketed word at `index` is held by a holder known dead (its record at `rec`), takes it
 * over for the calling thread (a new ticket, marked waited on, this thread recorded): the new word, else 0.
 * The compare-exchange from the word the record was read under makes one taker win, and only while the dead
 * hold is still current.
 */
export function takeOverDead(st: SharedState, index: number, rec: number): number {
  const i32 = st.i32;
  const held = Atomics.load(i32, index);
  if ((held & LOCKED) === 0 || !recordDead(st.f64, rec)) return 0;
  const next = nextFree(held) | STATE_BITS;
  if (Atomics.compareExchange(i32, index, held, next) !== held) return 0;
  recordHolder(st.f64, rec);
  return next;
}

/**
 * @internal Park steps that take a ticketed word, marked waited on: its new value, or 0 if the deadline
 * passed (a taken value always has its state bits set, so it is never 0). Sleeps in slices, checking
 * between them whether the holder recorded at `rec` died (then takes the word over: `lastTake.abandoned`).
 */
export function* ticketLockSteps(
  st: SharedState,
  index: number,
  rec: number,
  deadline: number,
): Steps<number> {
  const i32 = st.i32;
  let check = nextCheck();
  for (;;) {
    const old = Atomics.or(i32, index, STATE_BITS);
    if ((old & LOCKED) === 0) {
      recordHolder(st.f64, rec);
      lastTake.abandoned = false;
      return old | STATE_BITS;
    }
    if (performance.now() >= check) {
      const taken = takeOverDead(st, index, rec);
      if (taken !== 0) {
        lastTake.abandoned = true;
        return taken;
      }
      check = nextCheck();
    }
    if (
      !(yield park(st, index, old | STATE_BITS, Math.min(deadline, check))) &&
      performance.now() >= deadline
    ) {
      return 0;
    }
  }
}

/** @internal Takes a ticketed word, blocking the thread with no deadline: its new value (see ticketLockSteps). */
export function ticketLockBlocking(st: SharedState, index: number, rec: number): number {
  const { i32, waiter } = st;
  for (;;) {
    const old = Atomics.or(i32, index, STATE_BITS);
    if ((old & LOCKED) === 0) {
      recordHolder(st.f64, rec);
      lastTake.abandoned = false;
      return old | STATE_BITS;
    }
    if (waiter.wait(i32, index, old | STATE_BITS, LIVENESS_SLICE_MS) === "timed-out") {
      const taken = takeOverDead(st, index, rec);
      if (taken !== 0) {
        lastTake.abandoned = true;
        return taken;
      }
    }
  }
}
