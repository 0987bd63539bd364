import { AbandonedLockError } from "./errors.js";
import type { Guard } from "./guard.js";
import { LIVENESS_SLICE_MS, ME_PID, ME_START, ME_TID, recordDead } from "./liveness.js";

// A holder record: three Int32 words next to a primitive's state word, written with plain stores right
// after the atomic operation that took the primitive and cleared right before the one that releases it:
//   pid, thread id + 1, process start stamp (liveness.ts). Each word reads as 0 or as the current holder's
// value (the previous holder cleared them before its release, which happens before the current take), so
// a record with no zero field is the current holder's, complete.

/** @internal Records the calling thread as the holder in i32[at..at+2]. */
export function recordHolder(i32: Int32Array, at: number): void {
  i32[at] = ME_PID;
  i32[at + 1] = ME_TID;
  i32[at + 2] = ME_START;
}

/** @internal Clears the holder record at i32[at..at+2] (before the release that ends the hold). */
export function clearHolder(i32: Int32Array, at: number): void {
  i32[at] = 0;
  i32[at + 1] = 0;
  i32[at + 2] = 0;
}

/** @internal Whether the latest contended take (futex.ts) took the word over from a dead holder. */
export const lastTake = { abandoned: false };

/** @internal The message of an AbandonedLockError for `kind`. */
export function abandonedError(kind: string, guard: Guard | undefined): AbandonedLockError {
  return new AbandonedLockError(
    `${kind}: its previous holder died holding it (a thread or process that exited or was killed); you hold ` +
      "it now (error.guard), but the state it protects may be half-updated: repair it, then release",
    guard,
  );
}

/** @internal The next time (performance.now()) a waiter that starts waiting now checks its holder. */
export function nextCheck(): number {
  return performance.now() + LIVENESS_SLICE_MS;
}

export { recordDead };
