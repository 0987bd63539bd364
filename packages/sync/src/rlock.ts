import { abandonedError, clearHolder, lastTake, recordHolder, recordIsMine } from "./abandon.js";
import { NotOwnerError, ReleaseError } from "./errors.js";
import { Guard, type GuardOwner } from "./guard.js";
import { holderWordSteps, takeOverDead, WAITED } from "./holder-word.js";
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
import {
  acquireAsyncWith,
  acquireSyncWith,
  runAsync,
  runSync,
  type Steps,
  type WaitOptions,
} from "./park.js";

// State words (Int32 indices; words 0-3 are the header every primitive starts with, see memory.ts):
//   4    LOCK_WORD   holder word (holder-word.ts, as Lock's): 0 free, else the owner's token and a "maybe
//               waited on" bit
//   5    COUNT_WORD  recursion count, written only by the owner
//   6-7         unused (zero; held the owner's threadIdentity() before the holder record took its place)
//   8-9  REC    (bytes 32-39, Float64 slot 4) the holder record (abandon.ts), 0 while free: the owner is the
//               thread whose record it is (one store to take, one to release)
// Guards are told apart per thread, not in shared memory: only the owning thread can release, so this
// object's #hold (a ticket minted when this thread's hold began, 0 when it holds none) is enough.
const LOCK_WORD = 4;
const COUNT_WORD = 5;
const REC = 4;

/** What Condition.wait saves while it has released every level. */
interface Saved {
  count: number;
  hold: number;
}

/**
 * A re-entrant lock (Python's `threading.RLock`): the owning thread may acquire it again, and must release
 * it as many times. The owner's thread identity and the count live in shared memory, so the lock works
 * across worker threads.
 *
 * Guarantees and pitfalls:
 * - Ownership is per thread, as in Python. All async tasks of one event loop are the same thread, so they
 *   re-enter each other's holds: an RLock does not exclude tasks of one loop from each other. Use
 *   {@link Lock} for that; use RLock for re-entrant code (a locked method calling another) and across threads.
 * - Releasing from a thread that does not own it throws {@link NotOwnerError} (and changes nothing).
 * - Not fair, like {@link Lock}. `acquireSync` blocks the whole thread.
 * - Robust, like {@link Lock}: if the owning thread or process dies holding it, the next acquirer gets it
 *   (at depth 1) with {@link AbandonedLockError}.
 *
 * @example
 * ```ts
 * class SharedCounter {
 *   static lock = new RLock();
 *   value = 0;
 *   incr(d = 1) { using _ = SharedCounter.lock.acquireSync() as Guard; this.value += d; }
 *   decr(d = 1) { using _ = SharedCounter.lock.acquireSync() as Guard; this.incr(-d); }
 * }
 * ```
 */
export class RLock implements GuardOwner {
  /** Bytes of shared memory an RLock needs (for the `memory` option). */
  static readonly byteLength = 40;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  /** This thread's value of the lock word while it holds it (SharedState.me). */
  readonly #me: number;
  /** The ticket of this thread's current hold, 0 when it holds none. */
  #hold = 0;
  /** The last ticket minted (never 0, stays a small integer). */
  #mint = 0;

  /**
   * Creates an unlocked RLock.
   *
   * @example
   * ```ts
   * const rlock = new RLock();
   * ```
   */
  constructor(options?: PrimitiveOptions) {
    const st = stateFor("RLock", RLock.byteLength, options);
    this[kState] = st;
    this.#i32 = st.i32;
    this.#f64 = st.f64;
    this.#me = st.me;
  }

  #tryTake(): boolean {
    if (recordIsMine(this.#f64, REC)) {
      this.#i32[COUNT_WORD]!++;
      if (this.#hold === 0) this.#mintHold(); // held through another object of this thread over the memory
      return true;
    }
    if (Atomics.compareExchange(this.#i32, LOCK_WORD, 0, this.#me) === 0) {
      recordHolder(this.#f64, REC);
      this.#own();
      return true;
    }
    return false;
  }

  /** Starts this thread's hold (already recorded), at depth 1. */
  #own(): void {
    this.#i32[COUNT_WORD] = 1;
    this.#mintHold();
  }

  #mintHold(): void {
    this.#mint = (this.#mint + 1) & 0x3fffffff || 1;
    this.#hold = this.#mint;
  }

  /** A guard for one level of the current hold. */
  #guard(): Guard {
    return new Guard(this, this.#hold);
  }

  /**
   * Acquires (or re-enters) the lock without blocking the thread. Resolves to a {@link Guard}, or `false`
   * on timeout; rejects with `signal.reason` on abort.
   *
   * @example
   * ```ts
   * const g = await rlock.acquire();
   * ```
   */
  acquire(options?: WaitOptions): Promise<Guard | false> {
    if (options === undefined) {
      if (this.#tryTake()) return Promise.resolve(this.#guard());
      return runAsync(this.#steps(Number.POSITIVE_INFINITY));
    }
    return acquireAsyncWith("RLock.acquire", options, this.#take, this.#stepsFn);
  }

  /**
   * Acquires (or re-enters) the lock, blocking the thread while another thread holds it.
   *
   * @example
   * ```ts
   * using _ = rlock.acquireSync() as Guard;
   * ```
   */
  acquireSync(options?: WaitOptions): Guard | false {
    if (options !== undefined) {
      return acquireSyncWith("RLock.acquireSync", options, this.#take, this.#stepsFn);
    }
    if (this.#tryTake()) return this.#guard();
    return runSync(this.#steps(Number.POSITIVE_INFINITY));
  }

  /**
   * Acquires (or re-enters) the lock only if that needs no waiting.
   *
   * @example
   * ```ts
   * const g = rlock.tryAcquire();
   * ```
   */
  tryAcquire(): Guard | false {
    if (this.#tryTake()) return this.#guard();
    if (!takeOverDead(this[kState], LOCK_WORD, REC)) return false;
    this.#own();
    throw abandonedError("RLock", this.#guard());
  }

  /**
   * Releases one level; the lock is free when the count reaches zero. Throws {@link NotOwnerError} if the
   * calling thread does not own the lock.
   *
   * @example
   * ```ts
   * rlock.acquireSync();
   * rlock.release();
   * ```
   */
  release(): void {
    if (!recordIsMine(this.#f64, REC)) {
      throw new NotOwnerError(
        "RLock.release: the calling thread does not own this lock; only the thread that acquired it may release it",
      );
    }
    const c = this.#i32[COUNT_WORD]! - 1;
    this.#i32[COUNT_WORD] = c;
    if (c === 0) {
      this.#hold = 0;
      clearHolder(this.#f64, REC);
      // The word names this thread (its record did): only waiters' "waited on" mark can have changed it, so
      // one exchange frees it.
      const i32 = this.#i32;
      if ((Atomics.exchange(i32, LOCK_WORD, 0) & WAITED) !== 0) this[kState].waiter.notify(i32, LOCK_WORD, 1);
    }
  }

  /**
   * true while some thread holds the lock.
   *
   * @example
   * ```ts
   * rlock.locked();
   * ```
   */
  locked(): boolean {
    return Atomics.load(this.#i32, LOCK_WORD) !== 0;
  }

  /**
   * true when the calling thread holds the lock (at any depth).
   *
   * @example
   * ```ts
   * if (!rlock.isOwned()) throw new Error("call me with the lock held");
   * ```
   */
  isOwned(): boolean {
    return recordIsMine(this.#f64, REC);
  }

  /**
   * Readable form for `util.inspect` and `console.log` (see {@link RLock.toString}).
   *
   * @example
   * ```ts
   * console.log(new RLock()); // RLock <unlocked, count=0>
   * ```
   */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * `RLock <locked, count=2>` or `RLock <unlocked, count=0>`, as Python's repr shows it (count: the
   * owner's recursion depth).
   *
   * @example
   * ```ts
   * String(new RLock()); // "RLock <unlocked, count=0>"
   * ```
   */
  toString(): string {
    const locked = this.locked();
    return `RLock <${locked ? "locked" : "unlocked"}, count=${locked ? this.#i32[COUNT_WORD]! : 0}>`;
  }

  readonly #take = (): Guard | false => this.tryAcquire();
  readonly #stepsFn = (deadline: number): Steps<Guard | false> => this.#steps(deadline);

  *#steps(deadline: number): Steps<Guard | false> {
    if (!(yield* this[kAcquireSteps](deadline))) return false;
    if (!lastTake.abandoned) return this.#guard();
    lastTake.abandoned = false;
    throw abandonedError("RLock", this.#guard());
  }

  /** @internal Releases one level of the hold `ticket`, or throws if that hold is over. */
  [kReleaseGuard](ticket: number): void {
    if (ticket !== this.#hold) {
      throw new ReleaseError(
        "RLock: this guard's acquisition was already released (a guard releases once, and the guards of a " +
          "hold that ended stay released); release each acquisition exactly once",
      );
    }
    this.release();
  }
  /** @internal */
  [kGuardHeld](ticket: number): boolean {
    return ticket === this.#hold && recordIsMine(this.#f64, REC);
  }

  /** @internal */
  *[kAcquireSteps](deadline: number): Steps<boolean> {
    if (recordIsMine(this.#f64, REC)) {
      this.#i32[COUNT_WORD]!++;
      lastTake.abandoned = false;
      return true;
    }
    if (!(yield* holderWordSteps(this[kState], LOCK_WORD, REC, deadline))) return false;
    this.#own();
    return true;
  }
  /** @internal Releases every level; returns what kRestore needs. */
  [kReleaseAll](): Saved {
    if (!recordIsMine(this.#f64, REC)) {
      throw new NotOwnerError(
        "Condition: the calling thread does not own the condition's RLock; acquire it first",
      );
    }
    const saved = { count: this.#i32[COUNT_WORD]!, hold: this.#hold };
    this.#i32[COUNT_WORD] = 1;
    this.release();
    return saved;
  }
  /** @internal After kAcquireSteps: the same hold, at the same depth, with its guards valid again. */
  [kRestore](saved: unknown): void {
    const { count, hold } = saved as Saved;
    this.#i32[COUNT_WORD] = count;
    this.#hold = hold;
  }
  /** @internal */
  [kIsHeld](): boolean {
    return this.isOwned();
  }
}
