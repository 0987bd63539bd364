import { NotOwnerError } from "./errors.js";
import { futexLockSteps, futexUnlock } from "./futex.js";
import { Guard } from "./guard.js";
import { threadIdentity } from "./identity.js";
import { kAcquireSteps, kIsHeld, kReleaseAll, kRestore, kState, stateFor } from "./internal.js";
import type { PrimitiveOptions, SharedState } from "./memory.js";
import {
  acquireAsyncWith,
  acquireSyncWith,
  runAsync,
  runSync,
  type Steps,
  type WaitOptions,
} from "./park.js";

const S = 4; // futex word
const C = 5; // recursion count, written only by the owner
const OWNER_BYTE = 24; // Float64: threadIdentity() of the owner, 0 when free
const ME = threadIdentity();

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
export class RLock {
  /** Bytes of shared memory an RLock needs (for the `memory` option). */
  static readonly byteLength = 32;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #owner: Float64Array;
  readonly #guard: Guard;
  readonly #ready: Promise<Guard>;

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
    this.#owner = new Float64Array(st.buffer, st.byteOffset + OWNER_BYTE, 1);
    this.#guard = new Guard(this);
    this.#ready = Promise.resolve(this.#guard);
  }

  #tryTake(): boolean {
    if (this.#owner[0] === ME) {
      this.#i32[C]!++;
      return true;
    }
    if (Atomics.compareExchange(this.#i32, S, 0, 1) === 0) {
      this.#own(1);
      return true;
    }
    return false;
  }

  #own(count: number): void {
    this.#owner[0] = ME;
    this.#i32[C] = count;
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
      if (this.#tryTake()) return this.#ready;
      return runAsync(this.#steps(Number.POSITIVE_INFINITY));
    }
    return acquireAsyncWith("RLock.acquire", options, this.#ready, this.#take, this.#stepsFn);
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
      return acquireSyncWith("RLock.acquireSync", options, this.#guard, this.#take, this.#stepsFn);
    }
    if (this.#tryTake()) return this.#guard;
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
    return this.#tryTake() ? this.#guard : false;
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
    if (this.#owner[0] !== ME) {
      throw new NotOwnerError(
        "RLock.release: the calling thread does not own this lock; only the thread that acquired it may release it",
      );
    }
    const c = this.#i32[C]! - 1;
    this.#i32[C] = c;
    if (c === 0) {
      this.#owner[0] = 0;
      futexUnlock(this.#i32, S, this[kState].waiter);
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
    return Atomics.load(this.#i32, S) !== 0;
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
    return this.#owner[0] === ME;
  }

  readonly #take = (): boolean => this.#tryTake();
  readonly #stepsFn = (deadline: number): Steps<Guard | false> => this.#steps(deadline);

  *#steps(deadline: number): Steps<Guard | false> {
    return (yield* this[kAcquireSteps](deadline)) ? this.#guard : false;
  }

  /** @internal */
  *[kAcquireSteps](deadline: number): Steps<boolean> {
    if (this.#owner[0] === ME) {
      this.#i32[C]!++;
      return true;
    }
    if (!(yield* futexLockSteps(this[kState], S, deadline))) return false;
    this.#own(1);
    return true;
  }
  /** @internal Releases every level; returns the count to restore. */
  [kReleaseAll](): number {
    if (this.#owner[0] !== ME) {
      throw new NotOwnerError(
        "Condition: the calling thread does not own the condition's RLock; acquire it first",
      );
    }
    const count = this.#i32[C]!;
    this.#i32[C] = 1;
    this.release();
    return count;
  }
  /** @internal */
  [kRestore](saved: number): void {
    this.#i32[C] = saved;
  }
  /** @internal */
  [kIsHeld](): boolean {
    return this.isOwned();
  }
}
