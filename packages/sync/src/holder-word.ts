import { clearHolder, lastTake, nextCheck, recordHolder } from "./abandon.js";
import { beforeBlocking } from "./before-blocking.js";
import { LIVENESS_SLICE_MS, wordHolderDead } from "./liveness.js";
import type { SharedState } from "./memory.js";
import { park, type Steps } from "./park.js";

// A holder word (Lock, RLock): 0 while free, else the holder's token shifted left by one (liveness.ts) with
// bit 0 set while it may be waited on. Taking it is one compare-exchange from 0 to the taker's own value, so
// the word names its holder from the instant it is taken: a holder killed at any point of its take or
// release (a terminated worker, a SIGKILLed process) is still found, and its hold taken over. The holder
// record next to the word (abandon.ts) is written right after the take and cleared right before the
// release; it refines the verdict (full thread id, process start stamp) and tells a thread its own hold.

/** @internal The "maybe waited on" bit of a holder word. */
export const WAITED = 1;
/** @internal The `rec` of a holder word that has no holder record. */
export const NO_RECORD = -1;

/**
 * @internal If the holder word at `index` is held by a holder known dead (its record at f64 slot `rec`),
 * takes it over for the calling thread (marked waited on, this thread recorded): true, else false. The
 * compare-exchange from the word the verdict was about makes one taker win, and only while the dead hold
 * is still current.
 */
export function takeOverDead(st: SharedState, index: number, rec: number): boolean {
  const { i32, f64 } = st;
  let held = Atomics.load(i32, index);
  if (held === 0 || !wordHolderDead(held, f64, rec, st.processShared)) return false;
  if (st.processShared) {
    // There a token may be shared (liveness.ts), so the dead holder's record goes before the word names
    // this thread: no other waiter can then read it as this thread's (and judge this live thread by the dead
    // one's thread id). Only while the dead hold is current, so as not to clear a winner's record. (In memory
    // of one process the token is exact and the record is not read for the verdict; clearing it there could
    // clear the record, an RLock's owner mark, of a waiter that took over first.)
    if ((Atomics.load(i32, index) | WAITED) !== (held | WAITED)) return false;
    clearHolder(f64, rec);
  }
  for (;;) {
    const seen = Atomics.compareExchange(i32, index, held, st.me | WAITED);
    if (seen === held) break;
    if ((seen | WAITED) !== (held | WAITED)) return false; // taken over by another waiter, or released
    held = seen; // only marked waited on meanwhile
  }
  recordHolder(f64, rec);
  return true;
}

/** takeOrMark: the word was taken (this thread recorded). */
const TAKEN = 0;
/** takeOrMark: the word changed under the marking: look again. */
const AGAIN = -1;

/**
 * One contended round: takes the free word (marked waited on, as others may wait) and records this thread,
 * returning TAKEN; else marks the held word waited on and returns its value to sleep on (AGAIN if it
 * changed meanwhile). A held word is never 0 and never negative, so the three cannot be confused.
 */
function takeOrMark(st: SharedState, index: number, rec: number): number {
  const i32 = st.i32;
  const c = Atomics.compareExchange(i32, index, 0, st.me | WAITED);
  if (c === 0) {
    recordHolder(st.f64, rec);
    lastTake.abandoned = false;
    return TAKEN;
  }
  if ((c & WAITED) !== 0) return c;
  return Atomics.compareExchange(i32, index, c, c | WAITED) === c ? c | WAITED : AGAIN;
}

/**
 * @internal Park steps that take the holder word at `index` (marked waited on, this thread recorded at f64
 * slot `rec`): true, or false if the deadline passed. Sleeps in slices, checking between them whether the
 * holder died (then takes the word over and sets `lastTake.abandoned`).
 */
export function* holderWordSteps(
  st: SharedState,
  index: number,
  rec: number,
  deadline: number,
): Steps<boolean> {
  let check = nextCheck();
  for (;;) {
    const c = takeOrMark(st, index, rec);
    if (c === TAKEN) return true;
    if (c === AGAIN) continue;
    if (performance.now() >= check) {
      if (takeOverDead(st, index, rec)) {
        lastTake.abandoned = true;
        return true;
      }
      check = nextCheck();
    }
    if (!(yield park(st, index, c, Math.min(deadline, check))) && performance.now() >= deadline) {
      return false;
    }
  }
}

/**
 * @internal Takes the holder word blocking the thread, with no deadline (see holderWordSteps): true if it
 * was taken over from a dead holder (also in `lastTake.abandoned`). `rec` may be NO_RECORD (-1) for a word
 * with no holder record (a short bookkeeping section).
 */
export function holderWordBlocking(st: SharedState, index: number, rec: number): boolean {
  const { i32, waiter } = st;
  for (;;) {
    const c = takeOrMark(st, index, rec);
    if (c === TAKEN) return false;
    if (c === AGAIN) continue;
    beforeBlocking();
    if (waiter.wait(i32, index, c, LIVENESS_SLICE_MS) === "timed-out" && takeOverDead(st, index, rec)) {
      lastTake.abandoned = true;
      return true;
    }
  }
}

/**
 * @internal Frees the holder word at `index` if this thread's value is in it (waking one waiter if it was
 * marked waited on): true, else false (it changes nothing then).
 */
export function releaseOwnWord(st: SharedState, index: number): boolean {
  const { i32, me } = st;
  const seen = Atomics.compareExchange(i32, index, me, 0);
  if (seen === me) return true;
  const waited = me | WAITED;
  if (seen !== waited || Atomics.compareExchange(i32, index, waited, 0) !== waited) return false;
  st.waiter.notify(i32, index, 1);
  return true;
}
