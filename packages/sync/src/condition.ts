import { abandonedError, lastTake } from "./abandon.js";
import { NotOwnerError } from "./errors.js";
import type { Guard } from "./guard.js";
import {
  inspectCustom,
  kAcquireSteps,
  kIsHeld,
  kReleaseAll,
  kRestore,
  kState,
  stateFor,
} from "./internal.js";
import type { Lock } from "./lock.js";
import type { PrimitiveOptions, SharedState } from "./memory.js";
import { deadlineOf, park, runAsync, runSync, type Steps, signalOf, type WaitOptions } from "./park.js";
import { RLock } from "./rlock.js";

// State words (Int32 indices; words 0-3 are the header every primitive starts with, see memory.ts). The
// lock's state lives in the lock's own memory.
//   4  SEQ      bumped by every notify(n > 0); waiters sleep on it
//   5  WAITERS  how many are waiting (notify skips the wake-up call when nobody waits)
const SEQ = 4;
const WAITERS = 5;

/**
 * A condition variable (Python's `threading.Condition`) over a {@link Lock} or {@link RLock} (a new RLock
 * by default): holding the lock, `wait` releases it, sleeps until notified, and re-acquires it.
 *
 * Guarantees and pitfalls:
 * - `wait`, `notify` and `notifyAll` require the lock to be held (for an RLock: by the calling thread; a
 *   Lock has no owner, so only "locked" can be checked); otherwise they throw {@link NotOwnerError}.
 * - A wait that times out returns `false`, even if a notify woke other waiters meanwhile (as in Python);
 *   `notify(0)` wakes nobody. `notify(n)` may still wake more than `n` waiters (ones that were about to
 *   sleep as it ran), and wake-ups can be spurious: always re-check your predicate, ideally with
 *   {@link Condition.waitFor}.
 * - `wait` re-acquires the lock before it returns, even when it times out or is aborted (the abort
 *   rejects only after the lock is held again), so a `using` block around it stays correct.
 * - If a holder of the lock dies while `wait` sleeps, `wait` re-acquires the lock from it and throws
 *   {@link AbandonedLockError} (with no `guard`: the caller's own guard holds the lock again).
 * - With an RLock, tasks of one event loop share ownership (see {@link RLock}); use a Lock for a condition
 *   shared by tasks of one loop.
 *
 * @example
 * ```ts
 * const cond = new Condition(new Lock());
 * const items: number[] = [];
 * // consumer
 * { await using _ = (await cond.acquire()) as Guard;
 *   await cond.waitFor(() => items.length > 0);
 *   items.shift(); }
 * // producer
 * { using _ = cond.acquireSync() as Guard; items.push(1); cond.notify(); }
 * ```
 */
export class Condition {
  /** Bytes of shared memory a Condition needs (for the `memory` option), besides its lock's. */
  static readonly byteLength = 24;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #lock: Lock | RLock;

  /**
   * Creates a condition over `lock` (default: a new {@link RLock}).
   *
   * @example
   * ```ts
   * const cond = new Condition(new Lock());
   * ```
   */
  constructor(lock?: Lock | RLock, options?: PrimitiveOptions) {
    const l = lock ?? new RLock();
    if (typeof (l as Partial<Lock>)[kReleaseAll] !== "function") {
      throw new TypeError("Condition: lock must be a Lock or an RLock from @weft/sync");
    }
    this.#lock = l;
    this[kState] = stateFor("Condition", Condition.byteLength, options);
    this.#i32 = this[kState].i32;
  }

  /**
   * The underlying lock.
   *
   * @example
   * ```ts
   * cond.lock.locked();
   * ```
   */
  get lock(): Lock | RLock {
    return this.#lock;
  }

  /**
   * Acquires the underlying lock (see `Lock.acquire`).
   *
   * @example
   * ```ts
   * await using _ = (await cond.acquire()) as Guard;
   * ```
   */
  acquire(options?: WaitOptions): Promise<Guard | false> {
    return this.#lock.acquire(options);
  }

  /**
   * Acquires the underlying lock, blocking the thread (see `Lock.acquireSync`).
   *
   * @example
   * ```ts
   * using _ = cond.acquireSync() as Guard;
   * ```
   */
  acquireSync(options?: WaitOptions): Guard | false {
    return this.#lock.acquireSync(options);
  }

  /**
   * Releases the underlying lock.
   *
   * @example
   * ```ts
   * cond.release();
   * ```
   */
  release(): void {
    this.#lock.release();
  }

  #requireHeld(who: string): void {
    if (!this.#lock[kIsHeld]()) {
      throw new NotOwnerError(
        `Condition.${who}: acquire the condition's lock first (cannot ${who} un-acquired lock)`,
      );
    }
  }

  /**
   * Releases the lock, waits until notified (or `timeout` ms), re-acquires the lock. Resolves `true` when
   * notified, `false` on timeout; rejects with `signal.reason` on abort (after re-acquiring the lock), with
   * {@link NotOwnerError} if the lock is not held, and with InvalidTimeoutError / TypeError for bad options.
   *
   * @example
   * ```ts
   * while (!ready) await cond.wait();
   * ```
   */
  wait(options?: WaitOptions): Promise<boolean> {
    let signal: AbortSignal | undefined;
    let deadline: number;
    try {
      signal = signalOf("Condition.wait", options);
      deadline = deadlineOf("Condition.wait", options);
      this.#requireHeld("wait");
    } catch (e) {
      return Promise.reject(e);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return runAsync(this.#waitSteps(deadline), signal);
  }

  /**
   * Like {@link Condition.wait}, blocking the thread.
   *
   * @example
   * ```ts
   * cond.waitSync({ timeout: 100 });
   * ```
   */
  waitSync(options?: WaitOptions): boolean {
    const signal = signalOf("Condition.waitSync", options);
    const deadline = deadlineOf("Condition.waitSync", options);
    this.#requireHeld("wait");
    if (signal?.aborted) throw signal.reason;
    return runSync(this.#waitSteps(deadline));
  }

  /**
   * Waits until `predicate()` returns a truthy value (checked with the lock held, first before waiting),
   * or until the timeout; resolves to the predicate's last value.
   *
   * @example
   * ```ts
   * await cond.waitFor(() => queue.length > 0, { timeout: 1000 });
   * ```
   */
  async waitFor<T>(predicate: () => T, options?: WaitOptions): Promise<T> {
    if (typeof predicate !== "function")
      throw new TypeError("Condition.waitFor: predicate must be a function");
    const deadline = deadlineOf("Condition.waitFor", options);
    const signal = signalOf("Condition.waitFor", options);
    let result = predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      await this.wait(deadline === Number.POSITIVE_INFINITY ? { signal } : { timeout: remaining, signal });
      result = predicate();
    }
    return result;
  }

  /**
   * Like {@link Condition.waitFor}, blocking the thread.
   *
   * @example
   * ```ts
   * cond.waitForSync(() => done, { timeout: 1000 });
   * ```
   */
  waitForSync<T>(predicate: () => T, options?: WaitOptions): T {
    if (typeof predicate !== "function")
      throw new TypeError("Condition.waitForSync: predicate must be a function");
    const deadline = deadlineOf("Condition.waitForSync", options);
    const signal = signalOf("Condition.waitForSync", options);
    let result = predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      this.waitSync(deadline === Number.POSITIVE_INFINITY ? { signal } : { timeout: remaining, signal });
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters (default 1). Requires the lock to be held.
   *
   * @example
   * ```ts
   * items.push(x);
   * cond.notify();
   * ```
   */
  notify(n = 1): void {
    if (typeof n !== "number" || !(n >= 0)) {
      throw new RangeError(`Condition.notify: n must be a number >= 0, got ${String(n)}`);
    }
    this.#requireHeld("notify");
    if (n === 0) return;
    Atomics.add(this.#i32, SEQ, 1);
    if (Atomics.load(this.#i32, WAITERS) > 0) this[kState].waiter.notify(this.#i32, SEQ, n);
  }

  /**
   * Wakes every waiter. Requires the lock to be held.
   *
   * @example
   * ```ts
   * cond.notifyAll();
   * ```
   */
  notifyAll(): void {
    this.notify(Number.POSITIVE_INFINITY);
  }

  /**
   * Readable form for `util.inspect` and `console.log` (see {@link Condition.toString}).
   *
   * @example
   * ```ts
   * console.log(new Condition(new Lock())); // Condition <Lock <unlocked>, waiters=0>
   * ```
   */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * `Condition <Lock <unlocked>, waiters=0>`: its lock as the lock prints itself, and how many wait.
   *
   * @example
   * ```ts
   * String(new Condition()); // "Condition <RLock <unlocked, count=0>, waiters=0>"
   * ```
   */
  toString(): string {
    return `Condition <${this.#lock.toString()}, waiters=${Atomics.load(this.#i32, WAITERS)}>`;
  }

  *#waitSteps(deadline: number): Steps<boolean> {
    const i32 = this.#i32;
    const lock = this.#lock;
    const seq = Atomics.load(i32, SEQ);
    Atomics.add(i32, WAITERS, 1);
    const saved = lock[kReleaseAll]();
    let notified = true;
    try {
      while (Atomics.load(i32, SEQ) === seq) {
        if (!(yield park(this[kState], SEQ, seq, deadline))) {
          // Timed out: not woken. A notify may have bumped SEQ meanwhile, but its wake-ups went to the waiters
          // it was for (notify(n) wakes n sleepers), so this wait was not notified.
          notified = false;
          break;
        }
      }
    } finally {
      Atomics.sub(i32, WAITERS, 1);
      yield* lock[kAcquireSteps](Number.POSITIVE_INFINITY);
      lock[kRestore](saved);
    }
    if (lastTake.abandoned) {
      // Re-acquired from a holder that died holding the lock: the caller's guard holds it again.
      lastTake.abandoned = false;
      throw abandonedError(`Condition's ${lock[kState].kind}`, undefined);
    }
    return notified;
  }
}
