import { AbandonedLockError } from "./errors.js";
import type { Guard } from "./guard.js";
import { LIVENESS_SLICE_MS, ME_RECORD, recordDead } from "./liveness.js";

// A holder record: one Float64 slot next to a primitive's state word (pid, thread id + 1 and a process start
// stamp packed in its two halves, liveness.ts), written with one plain store right after the atomic
// operation that took the primitive and cleared right before the one that releases it. Each half reads as 0
// or as the current holder's (the previous holder cleared it before its release, which happens before the
// current take), so a record with no zero half is the current holder's, complete.

/** @internal Records the calling thread as the holder at f64[at] (at -1: no record, nothing to do). */
export function recordHolder(f64: Float64Array, at: number): void {
  if (at >= 0) f64[at] = ME_RECORD;
}

/** @internal Clears the holder record at f64[at] (before the release that ends the hold; at -1: nothing). */
export function clearHolder(f64: Float64Array, at: number): void {
  if (at >= 0) f64[at] = 0;
}

/** @internal Whether the record at f64[at] is this thread's. */
export function recordIsMine(f64: Float64Array, at: number): boolean {
  return f64[at] === ME_RECORD;
}

/** @internal Whether the latest contended take (holder-word.ts) took the word over from a dead holder. */
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
