import { ReleaseError } from "./errors.js";
import { futexLockSteps } from "./futex.js";
import { Guard } from "./guard.js";
import { kAcquireSteps, kIsHeld, kReleaseAll, kRestore, kState, stateFor } from "./internal.js";
import type { PrimitiveOptions, SharedState } from "./memory.js";
import { acquireAsyncWith, acquireSyncWith, runAsync, type Steps, type WaitOptions } from "./park.js";
import type { Waiter } from "./waiter.js";

const S = 4; // futex word: 0 free, 1 locked, 2 locked and maybe waited on

/**
 * A mutual-exclusion lock (Python's `threading.Lock`) whose state is one word of shared memory, so the same
 * lock excludes async tasks of one event loop (`await lock.acquire()`) and worker threads
 * (`lock.acquireSync()`) alike. Pass it to a worker as an argument (see `marshal`): it is the same lock there.
 *
 * Guarantees and pitfalls:
 * - Uncontended acquire/release is one atomic compare-exchange each, with no wake-up call and no allocation.
 * - Not fair: a releasing holder (or a newcomer) may re-acquire before a woken waiter runs, so under constant
 *   contention a waiter can be overtaken many times; there is no FIFO order.
 * - No owner: any thread or task may release it (as in Python). Releasing an unlocked Lock throws
 *   {@link ReleaseError}. Acquiring it twice from the same task deadlocks: use {@link RLock} for re-entry.
 * - `acquireSync` blocks the whole thread, including the main thread's event loop: a task of the same loop
 *   holding the lock can never release it. Use `acquire` on the main thread.
 * - If a holder dies (worker terminated) the lock stays locked.
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
export class Lock {
  /** Bytes of shared memory a Lock needs (for the `memory` option). */
  static readonly byteLength = 24;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #waiter: Waiter;
  readonly #guard: Guard;
  readonly #ready: Promise<Guard>;

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
    this.#waiter = st.waiter;
    this.#guard = new Guard(this);
    this.#ready = Promise.resolve(this.#guard);
  }

  /**
   * Acquires the lock without blocking the thread. Resolves to a {@link Guard}, or `false` if `timeout`
   * ms passed first; rejects with `signal.reason` if the signal aborts. Uncontended, it returns an
   * already-resolved promise and allocates nothing.
   *
   * @example
   * ```ts
   * const g = await lock.acquire({ timeout: 100 });
   * if (g) try { work(); } finally { g.release(); }
   * ```
   */
  acquire(options?: WaitOptions): Promise<Guard | false> {
    if (options === undefined) {
      if (Atomics.compareExchange(this.#i32, S, 0, 1) === 0) return this.#ready;
      return runAsync(this.#steps(Number.POSITIVE_INFINITY));
    }
    return acquireAsyncWith("Lock.acquire", options, this.#ready, this.#take, this.#stepsFn);
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
      const i32 = this.#i32;
      let c = Atomics.compareExchange(i32, S, 0, 1);
      if (c === 0) return this.#guard;
      // Contended, no deadline: the plain futex loop (no generator), as fast as a hand-written one.
      if (c !== 2) c = Atomics.exchange(i32, S, 2);
      while (c !== 0) {
        this.#waiter.wait(i32, S, 2, Number.POSITIVE_INFINITY);
        c = Atomics.exchange(i32, S, 2);
      }
      return this.#guard;
    }
    return acquireSyncWith("Lock.acquireSync", options, this.#guard, this.#take, this.#stepsFn);
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
    return Atomics.compareExchange(this.#i32, S, 0, 1) === 0 ? this.#guard : false;
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
    const prev = Atomics.exchange(this.#i32, S, 0);
    if (prev === 1) return;
    if (prev === 2) {
      this.#waiter.notify(this.#i32, S, 1);
      return;
    }
    throw new ReleaseError("Lock.release: the lock is not locked; release only after a successful acquire");
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
    return Atomics.load(this.#i32, S) !== 0;
  }

  readonly #take = (): boolean => Atomics.compareExchange(this.#i32, S, 0, 1) === 0;
  readonly #stepsFn = (deadline: number): Steps<Guard | false> => this.#steps(deadline);

  *#steps(deadline: number): Steps<Guard | false> {
    return (yield* this[kAcquireSteps](deadline)) ? this.#guard : false;
  }

  /** @internal */
  [kAcquireSteps](deadline: number): Steps<boolean> {
    return futexLockSteps(this[kState], S, deadline);
  }
  /** @internal */
  [kReleaseAll](): number {
    this.release();
    return 1;
  }
  /** @internal */
  [kRestore](_saved: number): void {}
  /** @internal */
  [kIsHeld](): boolean {
    return this.locked();
  }
}
