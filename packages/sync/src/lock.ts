import { ReleaseError } from "./errors.js";
import { STATE_BITS, TICKET_STEP, ticketLockBlocking, ticketLockSteps, ticketOf } from "./futex.js";
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
//   4  S  ticketed futex word (futex.ts): bits 0-1 the state (0 free, 1 locked, 2 locked and maybe waited
//         on), bits 2-31 the hold ticket, advanced by every acquisition; a Guard carries its ticket.
//   5     unused (zero)
const S = 4;
/** No alias (outside the range of tickets, which are word >> 2). */
const NO_ALIAS = 2 ** 29;

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
 * - Uncontended acquire/release is one compare-exchange and one atomic AND, with no wake-up call; the only
 *   allocation is the acquisition's {@link Guard} (and `acquire`'s resolved promise).
 * - Not fair: a releasing holder (or a newcomer) may re-acquire before a woken waiter runs, so under constant
 *   contention a waiter can be overtaken many times; there is no FIFO order.
 * - No owner: any thread or task may release it (as in Python). Releasing an unlocked Lock throws
 *   {@link ReleaseError}. Acquiring it twice from the same task deadlocks: use {@link RLock} for re-entry.
 * - Each acquire returns its own {@link Guard}, which releases only that acquisition: a stale guard (released
 *   twice, or kept after `lock.release()`) throws ReleaseError instead of releasing the next holder.
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
export class Lock implements GuardOwner {
  /** Bytes of shared memory a Lock needs (for the `memory` option). */
  static readonly byteLength = 24;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #waiter: Waiter;
  /**
   * After Condition.wait re-acquired the lock (under a new ticket), the guard of the acquisition it
   * continues still carries the old ticket: #aliasFrom is that old ticket, #aliasTo the new one.
   */
  #aliasFrom = NO_ALIAS;
  #aliasTo = NO_ALIAS;
  /** The word value of the latest kAcquireSteps success (read by kRestore right after). */
  #taken = 0;
  /** The value the word had when this object last saw it free: the uncontended acquire's expected value. */
  #free = 0;

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
  }

  /** Takes the lock if it is free: the word's new value, or 0. One compare-exchange when the guess holds. */
  #takeWord(): number {
    const i32 = this.#i32;
    let c = this.#free;
    for (;;) {
      const n = (c + TICKET_STEP + 1) | 0;
      const seen = Atomics.compareExchange(i32, S, c, n);
      if (seen === c) return n;
      c = seen & ~STATE_BITS;
      this.#free = c; // where the word will be once its holder releases it
      if ((seen & STATE_BITS) !== 0) return 0;
    }
  }

  /** A guard for the acquisition that set the word to `word`. */
  #issue(word: number): Guard {
    return new Guard(this, ticketOf(word));
  }

  /** The ticket of the hold a guard with `ticket` can prove (after Condition.wait: the re-acquired one). */
  #holdOf(ticket: number): number {
    return ticket === this.#aliasFrom ? this.#aliasTo : ticket;
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
      const n = this.#takeWord();
      if (n !== 0) return Promise.resolve(this.#issue(n));
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
      const n = this.#takeWord();
      // Contended, no deadline: the plain futex loop (no generator), as fast as a hand-written one.
      return this.#issue(n !== 0 ? n : ticketLockBlocking(this.#i32, S, this.#waiter, this.#free | 1));
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
    const n = this.#takeWord();
    return n !== 0 ? this.#issue(n) : false;
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
    // Clears the state bits, keeps the ticket (so the released acquisition's guard is stale).
    const word = Atomics.and(this.#i32, S, ~STATE_BITS);
    const prev = word & STATE_BITS;
    this.#free = word & ~STATE_BITS;
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
    return (Atomics.load(this.#i32, S) & STATE_BITS) !== 0;
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
    const n = yield* ticketLockSteps(this[kState], S, deadline, this.#free | 1);
    return n !== 0 ? this.#issue(n) : false;
  }

  /** @internal Releases the acquisition with hold ticket `ticket`, or throws if it is not current. */
  [kReleaseGuard](ticket: number): void {
    const i32 = this.#i32;
    const free = this.#holdOf(ticket) << 2; // the word's value once released, state bits 0
    let c = free | 1;
    for (;;) {
      const seen = Atomics.compareExchange(i32, S, c, free);
      if (seen === c) break;
      if ((seen & ~STATE_BITS) !== free || (seen & STATE_BITS) === 0) throw staleGuard();
      c = seen; // marked waited on since
    }
    this.#free = free;
    if ((c & STATE_BITS) === 2) this.#waiter.notify(i32, S, 1);
  }
  /** @internal */
  [kGuardHeld](ticket: number): boolean {
    const c = Atomics.load(this.#i32, S);
    return ticketOf(c) === this.#holdOf(ticket) && (c & STATE_BITS) !== 0;
  }

  /** @internal */
  *[kAcquireSteps](deadline: number): Steps<boolean> {
    const n = yield* ticketLockSteps(this[kState], S, deadline, this.#free | 1);
    this.#taken = n;
    return n !== 0;
  }
  /** @internal Releases; returns the ticket its guard carries (to keep that guard valid after kRestore). */
  [kReleaseAll](): unknown {
    const t = ticketOf(Atomics.load(this.#i32, S));
    const saved = t === this.#aliasTo ? this.#aliasFrom : t;
    this.release();
    return saved;
  }
  /** @internal After kAcquireSteps: the guard with the saved ticket proves the new acquisition. */
  [kRestore](saved: unknown): void {
    this.#aliasFrom = saved as number;
    this.#aliasTo = ticketOf(this.#taken);
  }
  /** @internal */
  [kIsHeld](): boolean {
    return this.locked();
  }
}
