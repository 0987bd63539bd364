// Shared by the sync and native suites (their tsconfigs include this folder): the acquire that follows a
// holder's death, and a tally of what it found. Like told-abandoned.ts it imports no copy of @weft/sync, so
// each suite may use its own (source or dist): the error is recognised by its stable name and code.
import { expect } from "vitest";

/** What the acquire after a holder's death found (see acquireAfterDeath). */
export interface AfterDeath {
  free: number;
  abandoned: number;
  stuck: number;
  twice: number;
}

/** Empty tallies for acquireAfterDeath. */
export const afterDeath = (): AfterDeath => ({ free: 0, abandoned: 0, stuck: 0, twice: 0 });

interface Held {
  release(): void;
}
/** The part of a Lock, RLock or Semaphore this needs. */
export interface Acquirable {
  acquire(options: { timeout: number }): Promise<Held | false>;
  tryAcquire(): Held | false;
}

/**
 * Acquires `lock` once its holder has died (within 2 s) and tallies how: free, told it was abandoned, or
 * stuck (not acquired: held by nobody). With `single` (a Semaphore(1)), also `twice` when a second permit
 * could be taken too (a permit given back twice). Releases what it took.
 */
export async function acquireAfterDeath(lock: Acquirable, tally: AfterDeath, single = false): Promise<void> {
  let g: Held | false;
  try {
    g = await lock.acquire({ timeout: 2000 });
    if (g) tally.free++;
  } catch (e) {
    const err = e as { name?: unknown; code?: unknown; guard?: Held };
    expect(err.name).toBe("AbandonedLockError");
    expect(err.code).toBe("ERR_WEFT_ABANDONED");
    g = err.guard as Held;
    tally.abandoned++;
  }
  if (!g) {
    tally.stuck++;
    return;
  }
  if (single) {
    const extra = lock.tryAcquire();
    if (extra) {
      tally.twice++;
      extra.release();
    }
  }
  g.release();
}
