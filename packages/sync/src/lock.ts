import { abandonedError, clearHolder, lastTake, recordHolder } from "./abandon.js";
import { ReleaseError } from "./errors.js";
import { Guard, type GuardOwner } from "./guard.js";
import {
  holderWordBlocking,
  holderWordSteps,
  NO_RECORD,
  releaseOwnWord,
  takeOverDead,
  WAITED,
} from "./holder-word.js";
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
//   4  LOCK_WORD  holder word (holder-word.ts): 0 free, else the holder's token and a "maybe waited on" bit
//   5  TICKET     the ticket of the latest hold: every take advances it (only the new holder writes it), and a
//         Guard carries its hold's ticket, so a stale guard (its hold over, perhaps re-taken) is told apart
//   6-7 REC  (bytes 24-31, Float64 slot 3) the holder record (abandon.ts); 0 while free. Kept only in
//         process-shared memory: in memory of one process the word's token is exact (liveness.ts) and
//         nothing reads a Lock's record, so the uncontended path there skips its two stores.
const LOCK_WORD = 4;
const TICKET = 5;
const REC = 3;
/** Tickets stay in 0 .. 2^30 - 1 (never Guard's SPENT marker -1). */
const TICKET_MASK = 0x3fffffff;
/** No alias (-2: never a ticket). */
const NO_ALIAS = -2;

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
 * - Uncontended acquire/release is one compare-exchange each (plus plain stores of the ticket and the
 *   holder record), with no wake-up call; the only
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
 * - Robust: the lock word itself names its holder (process and thread), set by the same compare-exchange
 *   that takes it, so a holder killed at any instruction is still known. If it dies holding the lock (a worker thread that exits or is terminated, a child process that exits or is
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
  /** This thread's value of the lock word while it holds it (SharedState.me). */
  readonly #me: number;
  /** The holder record's Float64 slot, or NO_RECORD in memory of one process (see the state words). */
  readonly #rec: number;
  /**
   * After Condition.wait re-acquired the lock (under a new ticket), the guard of the acquisition it
   * continues still carries the old ticket: #aliasFrom is that old ticket, #aliasTo the new one.
   */
  #aliasFrom = NO_ALIAS;
  #aliasTo = NO_ALIAS;
  /** The ticket of the latest kAcquireSteps success (read by kRestore right after). */
  #taken = 0;

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
    this.#me = st.me;
    this.#rec = st.processShared ? REC : NO_RECORD;
  }

  /** Starts a hold this thread took (the word names it): advances the ticket; returns the hold's ticket. */
  #newTicket(): number {
    const t = (this.#i32[TICKET]! + 1) & TICKET_MASK;
    this.#i32[TICKET] = t;
    return t;
  }

  /** A guard for the acquisition that took the free word (the fast path: this thread records itself). */
  #issue(): Guard {
    recordHolder(this.#f64, this.#rec);
    return new Guard(this, this.#newTicket());
  }

  /** The guard of a contended take (already recorded); throws if it was taken over from a dead holder. */
  #won(): Guard {
    const g = new Guard(this, this.#newTicket());
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
      if (Atomics.compareExchange(this.#i32, LOCK_WORD, 0, this.#me) === 0) {
        return Promise.resolve(this.#issue());
      }
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
      if (Atomics.compareExchange(this.#i32, LOCK_WORD, 0, this.#me) === 0) return this.#issue();
      // Contended, no deadline: the plain futex loop (no generator), as fast as a hand-written one.
      holderWordBlocking(this[kState], LOCK_WORD, this.#rec); // sets lastTake, which #won reads
      return this.#won();
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
    if (Atomics.compareExchange(this.#i32, LOCK_WORD, 0, this.#me) === 0) return this.#issue();
    if (!takeOverDead(this[kState], LOCK_WORD, this.#rec)) return false;
    lastTake.abandoned = true;
    return this.#won();
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
    // Frees whatever hold is current (a Lock has no owner); the record goes first, so the next taker finds
    // it clear. The released hold's guards are stale from now on: their check (kGuardHeld) needs the word to
    // name their thread, and the next take advances the ticket they carry.
    // One exchange to 0 whoever holds it: exchanging 0 for 0 changes nothing, so a release of a free lock
    // only throws.
    const i32 = this.#i32;
    clearHolder(this.#f64, this.#rec);
    const w = Atomics.exchange(i32, LOCK_WORD, 0);
    if (w === 0) {
      throw new ReleaseError("Lock.release: the lock is not locked; release only after a successful acquire");
    }
    if ((w & WAITED) !== 0) this.#waiter.notify(i32, LOCK_WORD, 1);
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
    return Atomics.load(this.#i32, LOCK_WORD) !== 0;
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
    return (yield* holderWordSteps(this[kState], LOCK_WORD, this.#rec, deadline)) ? this.#won() : false;
  }

  /** @internal Releases the acquisition whose ticket is `hold`, or throws if it is not current. */
  [kReleaseGuard](hold: number): void {
    // Fast path (this guard's hold current, not marked waited on) kept small, so V8 inlines it into
    // Guard.release. The ticket is only advanced by a take, so while it is this guard's, the hold is (or was
    // released by lock.release(): then the word is no longer this thread's and the exchange misses).
    if (this.#i32[TICKET] === hold) {
      clearHolder(this.#f64, this.#rec);
      if (Atomics.compareExchange(this.#i32, LOCK_WORD, this.#me, 0) === this.#me) return;
    }
    this.#releaseGuardSlow(hold);
  }
  #releaseGuardSlow(hold: number): void {
    if (!this[kGuardHeld](hold)) throw staleGuard();
    clearHolder(this.#f64, this.#rec);
    if (!releaseOwnWord(this[kState], LOCK_WORD)) throw staleGuard();
  }
  /** @internal */
  [kGuardHeld](hold: number): boolean {
    return (
      this.#i32[TICKET] === this.#holdOf(hold) &&
      (Atomics.load(this.#i32, LOCK_WORD) | WAITED) === (this.#me | WAITED)
    );
  }

  /** @internal */
  *[kAcquireSteps](deadline: number): Steps<boolean> {
    if (!(yield* holderWordSteps(this[kState], LOCK_WORD, this.#rec, deadline))) return false;
    this.#taken = this.#newTicket();
    return true;
  }
  /** @internal Releases; returns the ticket its guard carries (to keep that guard valid after kRestore). */
  [kReleaseAll](): unknown {
    const t = this.#i32[TICKET]!;
    const saved = t === this.#aliasTo ? this.#aliasFrom : t;
    this.release();
    return saved;
  }
  /** @internal After kAcquireSteps: the guard with the saved ticket proves the new acquisition. */
  [kRestore](saved: unknown): void {
    this.#aliasFrom = saved as number;
    this.#aliasTo = this.#taken;
  }
  /** @internal */
  [kIsHeld](): boolean {
    return this.locked();
  }
}
