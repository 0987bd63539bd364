import { abandonedError, clearHolder, lastTake, recordHolder, recordIsMine } from "./abandon.js";
import { ReleaseError } from "./errors.js";
import {
  LOCKED,
  nextFree,
  STATE_BITS,
  takeOverDead,
  ticketLockBlocking,
  ticketLockSteps,
  WAITED,
} from "./futex.js";
import { Guard, type GuardOwner } from "./guard.js";
import {
  inspectCustom,
  kAcquireSteps,
  kGuardHeld,
  kIsHeld,
  kReleaseAll,
  kReleaseGuard,
  kRestore,
  kState,
  stateFor,
} from "./internal.js";
import type { PrimitiveOptions, SharedState } from "./memory.js";
import { acquireAsyncWith, acquireSyncWith, runAsync, type Steps, type WaitOptions } from "./park.js";
import type { Waiter } from "./waiter.js";

// State words (Int32 indices; words 0-3 are the header every primitive starts with, see memory.ts):
//   4  LOCK_WORD  ticketed futex word (futex.ts): bit 0 locked, bit 1 maybe waited on, bits 2-31 the hold ticket,
//         advanced by every release. A Guard carries its hold as `ticket << 2 | 1` (the word of that hold
//         while nobody waits; odd, so never Guard's SPENT marker -1, whose bit 1 is set).
//   5        unused (zero)
//   6-7 REC  (bytes 24-31, Float64 slot 3) the holder record (abandon.ts); 0 while free
const LOCK_WORD = 4;
const REC = 3;
/** No alias (even: never a hold value). */
const NO_ALIAS = 0;
/** The hold value (ticket << 2 | 1) a guard of the taken word `word` carries. */
const holdValue = (word: number): number => (word & ~STATE_BITS) | LOCKED;

const staleGuard = (): ReleaseError =>
  new ReleaseError(
    "Lock: this guard's acquisition was already released (a guard releases once; the lock may belong to " +
      "someone else now); release each acquisition exactly once, with either guard.release(), `using` or " +
      "lock.release()",
  );

/**
 * A mutual-exclusion lock (Python's `threading.Lock`) whose state is one word of shared memory, so the same
 * lock excludes async tasks of one event loop (`await lock.acquire()`) and worker threads
 * (`lock.acquireSync()`) alike. Pass it to a worker as an argument (see `marshal`): it is the same lock there.
 *
 * Guarantees and pitfalls:
 * - Uncontended acquire/release is one atomic OR and one compare-exchange (plus plain stores of the holder
 *   record), with no wake-up call; the only
 *   allocation is the acquisition's {@link Guard} (and `acquire`'s resolved promise), which V8 removes when
 *   the guard does not escape the optimized caller (see the README's guarantees).
 * - Not fair: a releasing holder (or a newcomer) may re-acquire before a woken waiter runs, so under constant
 *   contention a waiter can be overtaken many times; there is no FIFO order.
 * - No owner: any thread or task may release it (as in Python). Releasing an unlocked Lock throws
 *   {@link ReleaseError}. Acquiring it twice from the same task deadlocks: use {@link RLock} for re-entry.
 * - Each acquire returns its own {@link Guard}, which releases only that acquisition: a stale guard (released
 *   twice, or kept after `lock.release()`) throws ReleaseError instead of releasing the next holder.
 * - `acquireSync` blocks the whole thread, including the main thread's event loop: a task of the same loop
 *   holding the lock can never release it. Use `acquire` on the main thread.
 * - Robust: the holder is recorded in the shared memory (two plain stores, no extra atomic operation). If it
 *   dies holding the lock (a worker thread that exits or is terminated, a child process that exits or is
 *   killed), the next acquirer gets the lock and is told: its acquire throws (rejects with)
 *   {@link AbandonedLockError}, whose `guard` holds the lock. Waiters check the holder every ~40 ms, so
 *   they are woken within ~100 ms of the death being visible (see the README for what is visible).
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * {
 *   await using _ = (await lock.acquire()) as Guard;
 *   value += 1;
 * }
 * ```
 */
export class Lock implements GuardOwner {
  /** Bytes of shared memory a Lock needs (for the `memory` option). */
  static readonly byteLength = 32;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #waiter: Waiter;
  /**
   * After Condition.wait re-acquired the lock (under a new ticket), the guard of the acquisition it
   * continues still carries the old ticket: #aliasFrom is that old ticket, #aliasTo the new one.
   */
  #aliasFrom = NO_ALIAS;
  #aliasTo = NO_ALIAS;
  /** The word value of the latest kAcquireSteps success (read by kRestore right after). */
  #taken = 0;
  /** The word as this object's latest acquisition left it: `release()`'s guess of the word. */
  #held = LOCKED;

  /**
   * Creates an unlocked Lock in a new SharedArrayBuffer, or in `options.memory`.
   *
   * @example
   * ```ts
   * const lock = new Lock();
   * ```
   */
  constructor(options?: PrimitiveOptions) {
    const st = stateFor("Lock", Lock.byteLength, options);
    this[kState] = st;
    this.#i32 = st.i32;
    this.#f64 = st.f64;
    this.#waiter = st.waiter;
  }

  /** A guard for the acquisition that took the free word `word` (the fast path: this thread records itself). */
  #issue(word: number): Guard {
    recordHolder(this.#f64, REC);
    this.#held = word | LOCKED;
    return new Guard(this, holdValue(word));
  }

  /** The guard of a contended take (already recorded) that returned `word`; throws if it was abandoned. */
  #won(word: number): Guard {
    this.#held = word; // exact: taken contended, the word is marked waited on
    const g = new Guard(this, holdValue(word));
    if (lastTake.abandoned) {
      lastTake.abandoned = false;
      throw abandonedError("Lock", g);
    }
    return g;
  }

  /** The hold a guard with hold value `hold` can prove (after Condition.wait: the re-acquired one). */
  #holdOf(hold: number): number {
    return hold === this.#aliasFrom ? this.#aliasTo : hold;
  }

  /**
   * Acquires the lock without blocking the thread. Resolves to a {@link Guard}, or `false` if `timeout`
   * ms passed first; rejects with `signal.reason` if the signal aborts, or with InvalidTimeoutError /
   * TypeError for bad options. Uncontended, it returns an already-resolved promise.
   *
   * @example
   * ```ts
   * const g = await lock.acquire({ timeout: 100 });
   * if (g) try { work(); } finally { g.release(); }
   * ```
   */
  acquire(options?: WaitOptions): Promise<Guard | false> {
    if (options === undefined) {
      const old = Atomics.or(this.#i32, LOCK_WORD, LOCKED);
      if ((old & LOCKED) === 0) return Promise.resolve(this.#issue(old));
      return runAsync(this.#steps(Number.POSITIVE_INFINITY));
    }
    return acquireAsyncWith("Lock.acquire", options, this.#take, this.#stepsFn);
  }

  /**
   * Acquires the lock, blocking the calling thread while it waits. Returns a {@link Guard}, or `false` on
   * timeout. A signal can only be checked before blocking (no JavaScript runs on a blocked thread).
   *
   * @example
   * ```ts
   * using _ = lock.acquireSync() as Guard;
   * ```
   */
  acquireSync(options?: WaitOptions): Guard | false {
    if (options === undefined) {
      const old = Atomics.or(this.#i32, LOCK_WORD, LOCKED);
      if ((old & LOCKED) === 0) return this.#issue(old);
      // Contended, no deadline: the plain futex loop (no generator), as fast as a hand-written one.
      return this.#won(ticketLockBlocking(this[kState], LOCK_WORD, REC));
    }
    return acquireSyncWith("Lock.acquireSync", options, this.#take, this.#stepsFn);
  }

  /**
   * Acquires the lock only if it is free right now. Returns a {@link Guard} or `false`.
   *
   * @example
   * ```ts
   * const g = lock.tryAcquire();
   * if (g) g.release();
   * ```
   */
  tryAcquire(): Guard | false {
    const old = Atomics.or(this.#i32, LOCK_WORD, LOCKED);
    if ((old & LOCKED) === 0) return this.#issue(old);
    const taken = takeOverDead(this[kState], LOCK_WORD, REC);
    if (taken === 0) return false;
    lastTake.abandoned = true;
    return this.#won(taken);
  }

  /**
   * Releases the lock, waking one waiter if any. Throws {@link ReleaseError} if the lock is not locked.
   *
   * @example
   * ```ts
   * lock.acquireSync();
   * lock.release();
   * ```
   */
  release(): void {
    // Advances the ticket and clears the state bits (so the released acquisition's guard is stale),
    // starting from the guess that this object's latest acquisition is the current hold.
    const i32 = this.#i32;
    let c = this.#held;
    clearHolder(this.#f64, REC); // whoever held it, its hold ends here (and if nobody did, the record is zero)
    for (;;) {
      const seen = Atomics.compareExchange(i32, LOCK_WORD, c, nextFree(c));
      if (seen === c) break;
      if ((seen & LOCKED) === 0) {
        throw new ReleaseError(
          "Lock.release: the lock is not locked; release only after a successful acquire",
        );
      }
      c = seen;
    }
    if ((c & WAITED) !== 0) this.#waiter.notify(i32, LOCK_WORD, 1);
  }

  /**
   * true while some thread or task holds the lock.
   *
   * @example
   * ```ts
   * if (!lock.locked()) console.log("free");
   * ```
   */
  locked(): boolean {
    return (Atomics.load(this.#i32, LOCK_WORD) & LOCKED) !== 0;
  }

  /**
   * Readable form for `util.inspect` and `console.log` (see {@link Lock.toString}).
   *
   * @example
   * ```ts
   * console.log(new Lock()); // Lock <unlocked>
   * ```
   */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * `Lock <locked>` or `Lock <unlocked>`, as Python's repr shows it.
   *
   * @example
   * ```ts
   * String(new Lock()); // "Lock <unlocked>"
   * ```
   */
  toString(): string {
    return `Lock <${this.locked() ? "locked" : "unlocked"}>`;
  }

  readonly #take = (): Guard | false => this.tryAcquire();
  readonly #stepsFn = (deadline: number): Steps<Guard | false> => this.#steps(deadline);

  *#steps(deadline: number): Steps<Guard | false> {
    const n = yield* ticketLockSteps(this[kState], LOCK_WORD, REC, deadline);
    return n !== 0 ? this.#won(n) : false;
  }

  /** @internal Releases the acquisition with hold value `hold`, or throws if it is not current. */
  [kReleaseGuard](hold: number): void {
    // Fast path (the hold not marked waited on) kept small, so V8 inlines it into Guard.release. The record
    // is cleared only when this object's latest acquisition is this guard's and the record is this
    // thread's (plain loads: an Atomics.load of the word instead costs a quarter of the uncontended guard
    // round trip), so a stale guard does not clear another thread's record; it changes nothing, except
    // that of another object of this thread over the same memory that re-took the lock meanwhile.
    if (this.#held === hold && recordIsMine(this.#f64, REC)) {
      clearHolder(this.#f64, REC);
      if (Atomics.compareExchange(this.#i32, LOCK_WORD, hold, nextFree(hold)) === hold) return;
    }
    this.#releaseGuardSlow(hold);
  }
  #releaseGuardSlow(hold: number): void {
    const i32 = this.#i32;
    const c = this.#holdOf(hold);
    if ((Atomics.load(i32, LOCK_WORD) | WAITED) !== (c | WAITED)) throw staleGuard();
    clearHolder(this.#f64, REC);
    const free = nextFree(c);
    for (;;) {
      const seen = Atomics.compareExchange(i32, LOCK_WORD, c, free);
      if (seen === c) return; // the hold a Condition.wait continued (alias), not waited on
      // The only other value of a current hold: marked waited on since (or taken contended).
      if (seen !== (c | WAITED)) throw staleGuard();
      if (Atomics.compareExchange(i32, LOCK_WORD, seen, free) === seen) {
        this.#waiter.notify(i32, LOCK_WORD, 1);
        return;
      }
      // Changed meanwhile (released by lock.release()): the next round throws.
    }
  }
  /** @internal */
  [kGuardHeld](hold: number): boolean {
    return (Atomics.load(this.#i32, LOCK_WORD) | WAITED) === (this.#holdOf(hold) | WAITED);
  }

  /** @internal */
  *[kAcquireSteps](deadline: number): Steps<boolean> {
    const n = yield* ticketLockSteps(this[kState], LOCK_WORD, REC, deadline);
    this.#taken = n;
    return n !== 0;
  }
  /** @internal Releases; returns the ticket its guard carries (to keep that guard valid after kRestore). */
  [kReleaseAll](): unknown {
    const word = Atomics.load(this.#i32, LOCK_WORD);
    const t = holdValue(word);
    const saved = t === this.#aliasTo ? this.#aliasFrom : t;
    this.#held = word;
    this.release();
    return saved;
  }
  /** @internal After kAcquireSteps: the guard with the saved ticket proves the new acquisition. */
  [kRestore](saved: unknown): void {
    this.#aliasFrom = saved as number;
    this.#aliasTo = holdValue(this.#taken);
    this.#held = this.#taken;
  }
  /** @internal */
  [kIsHeld](): boolean {
    return this.locked();
  }
}
