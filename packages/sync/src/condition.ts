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
import { kindOf } from "./option-names.js";
import {
  deadlineOf,
  type Park,
  park,
  runAsync,
  runSync,
  type Steps,
  signalOf,
  type WaitOptions,
} from "./park.js";
import { RLock } from "./rlock.js";

// State words (Int32 indices; words 0-3 are the header every primitive starts with, see memory.ts). The
// lock's state lives in the lock's own memory.
//   4  SEQ      bumped by every notify(n >= 1) while anyone waits; waiters sleep on it
//   5  WAITERS  how many are waiting (registered under the lock, before it is released)
//   6  GRANTS   wake-ups notify has granted and no waiter has taken yet
// A wait returns true only by taking a grant, and only one made after it began (SEQ moved since): waking up
// is not being notified. Sleepers wake for other reasons too (a withdrawn async wait wakes every sleeper on
// SEQ, the native futex's async waits end in slices), and then find no grant and sleep on.
const SEQ = 4;
const WAITERS = 5;
const GRANTS = 6;

/** What was given where a Condition's lock belongs, for a message: `a Semaphore`, `an object`, `null`, `number`, ... */
function describeLock(value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return kindOf(value);
  let name: unknown;
  try {
    name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  } catch {
    name = undefined; // a throwing getter or a revoked proxy
  }
  return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name}` : "an object";
}

/**
 * A condition variable (Python's `threading.Condition`) over a {@link Lock} or {@link RLock} (a new RLock
 * by default): holding the lock, `wait` releases it, sleeps until notified, and re-acquires it.
 *
 * Guarantees and pitfalls:
 * - `wait`, `notify` and `notifyAll` require the lock to be held (for an RLock: by the calling thread; a
 *   Lock has no owner, so only "locked" can be checked); otherwise they throw {@link NotOwnerError}.
 * - A wait that times out returns `false`, even if a notify woke other waiters meanwhile (as in Python);
 *   `notify(0)` wakes nobody. `notify(n)` grants up to `n` of the waiters present a wake-up (in any thread
 *   or process), and only a wait that takes one returns `true`. It may grant one extra when it runs while a
 *   notified waiter is leaving or a waiting process was killed: always re-check your predicate, ideally
 *   with {@link Condition.waitFor}.
 * - `wait` re-acquires the lock before it returns, even when it times out or is aborted (the abort
 *   rejects only after the lock is held again), so a `using` block around it stays correct. An abort that
 *   comes while a notified wait re-acquires the lock does not take its wake-up: it resolves `true`.
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
  static readonly byteLength = 28;
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
      throw new TypeError(
        `Condition: lock must be a Lock or an RLock from @weft/sync, got ${describeLock(l)}`,
      );
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
   * Acquires the underlying lock only if it can be taken right now (Python's `cond.acquire(False)`; see
   * `Lock.tryAcquire`). Returns a {@link Guard} or `false`.
   *
   * @example
   * ```ts
   * const g = cond.tryAcquire();
   * if (g) { cond.notify(); g.release(); }
   * ```
   */
  tryAcquire(): Guard | false {
    return this.#lock.tryAcquire();
  }

  /**
   * true while some thread or task holds the underlying lock (Python's `cond.locked()`, the lock's own).
   *
   * @example
   * ```ts
   * if (!cond.locked()) console.log("free");
   * ```
   */
  locked(): boolean {
    return this.#lock.locked();
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
   * or until the timeout; resolves to the predicate's last value. As Python's `wait_for`, a false predicate
   * gets at least one wait (which releases the lock) and is asked again, even with `timeout: 0`.
   *
   * @example
   * ```ts
   * await cond.waitFor(() => queue.length > 0, { timeout: 1000 });
   * ```
   */
  async waitFor<T>(predicate: () => T, options?: WaitOptions): Promise<T> {
    if (typeof predicate !== "function")
      throw new TypeError(`Condition.waitFor: predicate must be a function, got ${kindOf(predicate)}`);
    const deadline = deadlineOf("Condition.waitFor", options);
    const signal = signalOf("Condition.waitFor", options);
    let result = predicate();
    // As Python's wait_for: a false predicate gets one wait whatever the timeout (0 too), then is asked again.
    let waited = false;
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0 && waited) break;
      waited = true;
      await this.wait(
        deadline === Number.POSITIVE_INFINITY ? { signal } : { timeout: Math.max(remaining, 0), signal },
      );
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
      throw new TypeError(`Condition.waitForSync: predicate must be a function, got ${kindOf(predicate)}`);
    const deadline = deadlineOf("Condition.waitForSync", options);
    const signal = signalOf("Condition.waitForSync", options);
    let result = predicate();
    // As Python's wait_for: a false predicate gets one wait whatever the timeout (0 too), then is asked again.
    let waited = false;
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0 && waited) break;
      waited = true;
      this.waitSync(
        deadline === Number.POSITIVE_INFINITY ? { signal } : { timeout: Math.max(remaining, 0), signal },
      );
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
    const i32 = this.#i32;
    // Waiters register holding the lock, as notify runs: those not granted a wake-up yet get up to n. SEQ
    // moves even when all are granted already, so that every waiter present may take a grant left over (one
    // that a race left beyond the waiters it was for: see dropSpareGrants).
    const waiters = Atomics.load(i32, WAITERS);
    if (waiters <= 0 || n < 1) return;
    const ungranted = waiters - Atomics.load(i32, GRANTS);
    const grant = Math.min(Math.floor(n), ungranted);
    if (grant > 0) Atomics.add(i32, GRANTS, grant);
    Atomics.add(i32, SEQ, 1);
    // In process-shared memory an async wait sleeps on a native thread, and one withdrawn (aborted) just as it
    // started may sleep on, uncounted: a wake-up of n could go to it. There every sleeper is woken (those that
    // find no grant sleep again).
    const st = this[kState];
    st.waiter.notify(i32, SEQ, st.processShared ? Number.POSITIVE_INFINITY : Math.min(n, waiters));
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
    const began = Atomics.load(i32, SEQ);
    Atomics.add(i32, WAITERS, 1);
    const saved = lock[kReleaseAll]();
    let notified = false;
    let late: unknown = NO_ABORT;
    try {
      for (;;) {
        const seq = Atomics.load(i32, SEQ);
        if (seq !== began && takeGrant(i32)) {
          notified = true;
          break;
        }
        if (!(yield park(this[kState], SEQ, seq, deadline))) {
          // Timed out; a grant that came at the last moment still counts.
          notified = Atomics.load(i32, SEQ) !== began && takeGrant(i32);
          break;
        }
      }
    } finally {
      Atomics.sub(i32, WAITERS, 1);
      late = yield* despiteAbort(lock[kAcquireSteps](Number.POSITIVE_INFINITY));
      lock[kRestore](saved);
      dropSpareGrants(i32);
    }
    if (lastTake.abandoned) {
      // Re-acquired from a holder that died holding the lock: the caller's guard holds it again.
      lastTake.abandoned = false;
      throw abandonedError(`Condition's ${lock[kState].kind}`, undefined);
    }
    // Aborted while re-acquiring the lock: a notified wait keeps its wake-up (true); any other rejects now,
    // holding the lock.
    if (late !== NO_ABORT && !notified) throw late;
    return notified;
  }
}

/** Takes one of the wake-ups notify granted, if one is left. */
function takeGrant(i32: Int32Array): boolean {
  for (let g = Atomics.load(i32, GRANTS); g > 0; ) {
    const seen = Atomics.compareExchange(i32, GRANTS, g, g - 1);
    if (seen === g) return true;
    g = seen;
  }
  return false;
}

/**
 * Drops grants beyond the waiters left (each waiter takes at most one), holding the lock: no waiter can arrive
 * and no notify can grant meanwhile, so neither count can grow under it. Spare grants arise when a notify
 * counted a waiter that had just taken its grant, or one leaving without one; kept, they would make the next
 * notify grant nobody new (it still moves SEQ, so they stay reachable until dropped).
 */
function dropSpareGrants(i32: Int32Array): void {
  for (let g = Atomics.load(i32, GRANTS); ; ) {
    const waiters = Math.max(Atomics.load(i32, WAITERS), 0);
    if (g <= waiters) return;
    const seen = Atomics.compareExchange(i32, GRANTS, g, waiters);
    if (seen === g) return;
    g = seen;
  }
}

const NO_ABORT: unique symbol = Symbol("no abort");

/**
 * Runs `steps` (re-acquiring the lock) to their end even if an abort is thrown in at one of their parks: the
 * wait then goes on at the same park (runAsync delivers an abort once). Returns the abort's reason, else
 * NO_ABORT. `wait` must hold the lock again before it settles, whatever happens.
 */
function* despiteAbort(steps: Steps<unknown>): Generator<Park, unknown, boolean> {
  let aborted: unknown = NO_ABORT;
  let r = steps.next(true);
  while (!r.done) {
    let ok: boolean;
    try {
      ok = yield r.value;
    } catch (reason) {
      aborted = reason; // thrown in by runAsync at this park: wait on at it
      continue;
    }
    r = steps.next(ok);
  }
  return aborted;
}
