import { abandonedError } from "./abandon.js";
import { ReleaseError } from "./errors.js";
import { Guard, type GuardOwner } from "./guard.js";
import {
  type AttachOptions,
  checkCount,
  inspectCustom,
  isAttach,
  kGuardHeld,
  kReleaseGuard,
  kState,
  MAX_COUNT,
  stateFor,
} from "./internal.js";
import { LIVENESS_SLICE_MS } from "./liveness.js";
import type { PrimitiveOptions, SharedState } from "./memory.js";
import {
  acquireAsyncWith,
  acquireSyncWith,
  park,
  runAsync,
  runSync,
  type Steps,
  type WaitOptions,
} from "./park.js";
import {
  HOLDER_BUSY,
  HOLDER_COUNT,
  HOLDER_HELD,
  HOLDER_TABLE_WORDS,
  HolderTable,
  heldAfter,
} from "./permit-holders.js";

// State words (Int32 indices; words 0-3 are the header every primitive starts with, see memory.ts):
//   4  PERMITS  the count of free permits
//   5  WAITING  how many are waiting (so release skips the wake-up call when nobody waits)
//   6  BOUND    the bound (BoundedSemaphore's initial value), -1 for none
//   7  INITIAL  the initial value (recovered permits never raise the count above it)
//   8- the permit holders table (permit-holders.ts): which threads hold how many permits
const PERMITS = 4;
const WAITING = 5;
const BOUND = 6;
const INITIAL = 7;
const TABLE = 8;
/** The ticket of a guard whose permit is still out (a released guard has SPENT). */
const PERMIT = 0;

/**
 * A counter of permits (Python's `threading.Semaphore`): `acquire` takes one, waiting while there are
 * none; `release(n)` gives n back. Use it to bound concurrency (at most N tasks or threads inside).
 *
 * Guarantees and pitfalls:
 * - The count lives in shared memory: the same semaphore bounds tasks of this loop and worker threads.
 * - Not fair: a newcomer can take a permit before a woken waiter does.
 * - Anyone may call `release()`, any number of times: releasing more than was acquired silently raises the
 *   count. Use {@link BoundedSemaphore} to catch that bug. A {@link Guard} gives back its own permit once:
 *   a second release of the same guard throws {@link ReleaseError} and changes nothing.
 * - `acquireSync` blocks the whole thread.
 * - Robust: the threads holding permits are recorded (up to 16 threads at once; see the README). When one
 *   dies holding permits, a waiter gives them back (never above the initial value) and gets one itself,
 *   with {@link AbandonedLockError}. A `release()` by a thread that holds no permit is a signal: the
 *   permits the acquiring thread took still count as its own, but a waiter gives back at most what the
 *   initial value leaves beside the free permits and those live threads count, so a permit released for
 *   its dead acquirer (a hand-off) is never given back a second time.
 *
 * @example
 * ```ts
 * const fetchSlots = new Semaphore(5);   // at most five fetches at once
 * async function fetchUrl(url: string) {
 *   await using _ = (await fetchSlots.acquire()) as Guard;
 *   return (await fetch(url)).text();
 * }
 * ```
 */
export class Semaphore implements GuardOwner {
  /** Bytes of shared memory a Semaphore needs (for the `memory` option). */
  static readonly byteLength = (TABLE + HOLDER_TABLE_WORDS) * 4;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #holders: HolderTable;
  /** This thread's HELD word (Int32 index) once its entry is known, else -1 (see #heldWord). */
  #held = -1;

  /**
   * Creates a semaphore holding `value` permits (default 1).
   *
   * @example
   * ```ts
   * const slots = new Semaphore(3);
   * ```
   */
  constructor(value = 1, options?: PrimitiveOptions) {
    const kind = new.target === BoundedSemaphore ? "BoundedSemaphore" : "Semaphore";
    const attach = isAttach(options);
    if (!attach) checkCount(kind, "value", value, 0);
    const st = stateFor(kind, Semaphore.byteLength, options as PrimitiveOptions | AttachOptions);
    this[kState] = st;
    this.#i32 = st.i32;
    this.#holders = new HolderTable(st, TABLE);
    if (!attach) {
      st.i32[BOUND] = kind === "BoundedSemaphore" ? value : -1;
      st.i32[INITIAL] = value;
      Atomics.store(st.i32, PERMITS, value);
    }
  }

  /**
   * The Int32 index of this thread's HELD word in the holders table (its entry claimed now if it has none),
   * or -1 when the table is full of live threads (then its permits are not tracked).
   */
  #heldWord(): number {
    const e = this.#holders.entry();
    if (e < 0) return -1;
    this.#held = e + HOLDER_HELD; // an entry stays this thread's while it lives
    return this.#held;
  }

  #tryTake(): boolean {
    const i32 = this.#i32;
    let c = Atomics.load(i32, PERMITS);
    if (c <= 0) return false;
    // BUSY around the take and the count (permit-holders.ts): killed in between, the permit is found again.
    const h = this.#held >= 0 ? this.#held : this.#heldWord();
    if (h < 0) return this.#tryTakeUntracked(c);
    const held = i32[h]!;
    i32[h] = held | HOLDER_BUSY;
    do {
      const seen = Atomics.compareExchange(i32, PERMITS, c, c - 1);
      if (seen === c) {
        i32[h] = (held & HOLDER_COUNT) !== HOLDER_COUNT ? held + 2 : this.#holders.heldAfterTake(held);
        return true;
      }
      c = seen;
    } while (c > 0);
    i32[h] = heldAfter(held); // GEN moves on: a waiter's snapshot must not take the busy window for none
    return false;
  }

  /** #tryTake for a thread the full table does not track. */
  #tryTakeUntracked(c: number): boolean {
    const i32 = this.#i32;
    while (c > 0) {
      const seen = Atomics.compareExchange(i32, PERMITS, c, c - 1);
      if (seen === c) return true;
      c = seen;
    }
    return false;
  }

  /**
   * Gives back the permits of threads known dead (up to the initial value), keeping one for the caller:
   * true when it did (the caller then holds a permit it must be told was abandoned).
   */
  #recover(): boolean {
    if (!this.#holders.recover(PERMITS, this.#i32[INITIAL]!)) return false;
    const i32 = this.#i32;
    if (Atomics.load(i32, WAITING) > 0) this[kState].waiter.notify(i32, PERMITS, Number.POSITIVE_INFINITY);
    return true;
  }

  /**
   * Takes a permit without blocking the thread. Resolves to a {@link Guard} (releasing it gives the
   * permit back), or `false` on timeout; rejects with `signal.reason` on abort.
   *
   * @example
   * ```ts
   * const g = await slots.acquire({ timeout: 1000 });
   * ```
   */
  acquire(options?: WaitOptions): Promise<Guard | false> {
    if (options === undefined) {
      if (this.#tryTake()) return Promise.resolve(new Guard(this, PERMIT));
      return runAsync(this.#steps(Number.POSITIVE_INFINITY));
    }
    return acquireAsyncWith(`${this[kState].kind}.acquire`, options, this.#take, this.#stepsFn);
  }

  /**
   * Takes a permit, blocking the thread while there is none.
   *
   * @example
   * ```ts
   * using _ = slots.acquireSync() as Guard;
   * ```
   */
  acquireSync(options?: WaitOptions): Guard | false {
    if (options !== undefined) {
      const who = `${this[kState].kind}.acquireSync`;
      return acquireSyncWith(who, options, this.#take, this.#stepsFn);
    }
    if (this.#tryTake()) return new Guard(this, PERMIT);
    return runSync(this.#steps(Number.POSITIVE_INFINITY));
  }

  /**
   * Takes a permit only if one is free right now.
   *
   * @example
   * ```ts
   * const g = slots.tryAcquire();
   * ```
   */
  tryAcquire(): Guard | false {
    if (this.#tryTake()) return new Guard(this, PERMIT);
    if (!this.#recover()) return false;
    throw abandonedError(this[kState].kind, new Guard(this, PERMIT));
  }

  /**
   * Gives back `n` permits (default 1) and wakes up to `n` waiters.
   *
   * @example
   * ```ts
   * slots.release();
   * ```
   */
  release(n = 1): void {
    const i32 = this.#i32;
    if (n !== 1) checkCount(`${this[kState].kind}.release`, "n", n, 1);
    const bound = i32[BOUND]!;
    // This thread's count drops (by what it holds, at most n: beyond that the release is a signal) before
    // the permits go back, BUSY around both (permit-holders.ts).
    const h = this.#held >= 0 ? this.#held : this.#mineHeld();
    const held = h >= 0 ? i32[h]! : 0;
    const mine = (held & HOLDER_COUNT) >> 1;
    const counted = mine < n ? mine : n;
    const left = held - 2 * counted;
    if (counted < n) this.#holders.noteSignal();
    if (counted !== 0) i32[h] = left | HOLDER_BUSY;
    if (bound < 0) {
      if (Atomics.add(i32, PERMITS, n) > MAX_COUNT - n) {
        Atomics.sub(i32, PERMITS, n);
        this.#uncount(h, counted, held);
        throw new RangeError(`Semaphore.release: the count would exceed ${MAX_COUNT}`);
      }
    } else {
      let c = Atomics.load(i32, PERMITS);
      for (;;) {
        if (c + n > bound) {
          this.#uncount(h, counted, held);
          throw new ReleaseError(
            `BoundedSemaphore.release: released too many times (value ${c} + ${n} would exceed the initial ` +
              `${bound}); release only what you acquired`,
          );
        }
        const seen = Atomics.compareExchange(i32, PERMITS, c, c + n);
        if (seen === c) break;
        c = seen;
      }
    }
    if (counted !== 0) i32[h] = heldAfter(left); // GEN moves on, so the count never comes back to a value
    if (Atomics.load(i32, WAITING) > 0) this[kState].waiter.notify(i32, PERMITS, n);
  }

  /** A refused release: this thread's HELD word `h` gets back its count `held` (it had dropped by `counted`). */
  #uncount(h: number, counted: number, held: number): void {
    if (counted !== 0) this.#i32[h] = heldAfter(held);
  }

  /** This thread's HELD word if it has an entry (claims none; another Semaphore over the memory may have), else -1. */
  #mineHeld(): number {
    const e = this.#holders.mine();
    if (e < 0) return -1;
    this.#held = e + HOLDER_HELD;
    return this.#held;
  }

  /**
   * The number of free permits right now.
   *
   * @example
   * ```ts
   * console.log(slots.value);
   * ```
   */
  get value(): number {
    return Atomics.load(this.#i32, PERMITS);
  }

  /**
   * Readable form for `util.inspect` and `console.log` (see {@link Semaphore.toString}).
   *
   * @example
   * ```ts
   * console.log(new Semaphore(2)); // Semaphore <value=2>
   * ```
   */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * `Semaphore <value=2>`, or for a BoundedSemaphore `BoundedSemaphore <value=2/3>` (free permits / bound),
   * as Python's repr shows them.
   *
   * @example
   * ```ts
   * String(new BoundedSemaphore(3)); // "BoundedSemaphore <value=3/3>"
   * ```
   */
  toString(): string {
    const bound = this.#i32[BOUND]!;
    return `${this[kState].kind} <value=${this.value}${bound < 0 ? "" : `/${bound}`}>`;
  }

  readonly #take = (): Guard | false => this.tryAcquire();
  readonly #stepsFn = (deadline: number): Steps<Guard | false> => this.#steps(deadline);

  *#steps(deadline: number): Steps<Guard | false> {
    const i32 = this.#i32;
    Atomics.add(i32, WAITING, 1);
    let check = performance.now() + LIVENESS_SLICE_MS;
    try {
      for (;;) {
        if (this.#tryTake()) return new Guard(this, PERMIT);
        if (performance.now() >= check) {
          if (this.#recover()) throw abandonedError(this[kState].kind, new Guard(this, PERMIT));
          check = performance.now() + LIVENESS_SLICE_MS;
        }
        if (
          !(yield park(this[kState], PERMITS, 0, Math.min(deadline, check))) &&
          performance.now() >= deadline
        ) {
          return this.tryAcquire();
        }
      }
    } finally {
      Atomics.sub(i32, WAITING, 1);
    }
  }

  /** @internal Gives back the permit of a guard that still has it. */
  [kReleaseGuard](ticket: number): void {
    if (ticket !== PERMIT) {
      throw new ReleaseError(
        `${this[kState].kind}: this guard's permit was already given back (a guard releases once); ` +
          "release each acquisition exactly once, with either guard.release(), `using` or release()",
      );
    }
    this.release();
  }
  /** @internal */
  [kGuardHeld](ticket: number): boolean {
    return ticket === PERMIT;
  }
}

/**
 * A {@link Semaphore} that throws {@link ReleaseError} when released above its initial value (Python's
 * `threading.BoundedSemaphore`): the usual way to catch a double release.
 *
 * @example
 * ```ts
 * const pool = new BoundedSemaphore(2);
 * pool.release(); // throws ReleaseError: nothing was acquired
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  /** Bytes of shared memory a BoundedSemaphore needs (for the `memory` option). */
  static override readonly byteLength = Semaphore.byteLength;
}
