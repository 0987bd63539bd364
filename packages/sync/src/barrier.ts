import { clearHolder, recordDead, recordHolder } from "./abandon.js";
import { BrokenBarrierError } from "./errors.js";
import { holderWordBlocking, NO_RECORD, releaseOwnWord } from "./holder-word.js";
import { type AttachOptions, checkCount, inspectCustom, isAttach, kState, stateFor } from "./internal.js";
import { LIVENESS_SLICE_MS } from "./liveness.js";
import type { PrimitiveOptions, SharedState } from "./memory.js";
import { kindOf } from "./option-names.js";
import { deadlineOf, park, runAsync, runSync, type Steps, signalOf, type WaitOptions } from "./park.js";

// State words (Int32 indices; words 0-3 are the header every primitive starts with, see memory.ts):
//   4  BOOKKEEPING bookkeeping lock, a holder word (holder-word.ts) held only for a few instructions (never
//               across a wait); a party that dies holding it leaves the barrier broken
//   5  SEQ      bumped (with a wake-all) on every state change; waiters sleep on it
//   6  STATE    FILLING, DRAINING, TRIPPING, RESETTING or BROKEN (below)
//   7  COUNT    parties inside wait()
//   8  PARTIES  the number of parties (1 to 2^31 - 1)
//   9           unused (zero)
//   10-41 PARTY  (Float64 slots 5-20) the parties inside wait(), up to 16 (a holder record each, abandon.ts;
//                0 when free), written under BOOKKEEPING; a party found dead is removed
const BOOKKEEPING = 4;
const SEQ = 5;
const STATE = 6;
const COUNT = 7;
const PARTIES = 8;
const PARTY = 5;
/** Parties at once whose death a Barrier sees; further ones are not tracked. */
const TRACKED = 16;

// States, as in CPython's threading.Barrier, plus TRIPPING while the last party runs the action.
const FILLING = 0;
const DRAINING = 1;
const TRIPPING = 2;
const RESETTING = -1;
const BROKEN = -2;

const DIED =
  "Barrier.wait: a party died while waiting (its thread or process ended), so the barrier is now broken; " +
  "call reset() to use it again";

/** Options of a {@link Barrier}. */
export interface BarrierOptions extends PrimitiveOptions {
  /** Called by the last party to arrive, before the others are released. A throw breaks the barrier. */
  action?: () => void;
  /** Default timeout (ms) of every `wait` that does not pass its own. */
  timeout?: number;
}

const BARRIER_OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ memory: true, waiter: true, action: true, timeout: true } satisfies Record<
    keyof BarrierOptions,
    true
  >),
);

/** @internal Why a Barrier cannot be marshalled, if it cannot. */
export const kLocalOnly: unique symbol = Symbol.for("@weft/sync:localOnly");

/**
 * A rendezvous for a fixed number of parties (Python's `threading.Barrier`): each `wait` blocks until
 * `parties` callers are waiting, then all are released together and the barrier is ready for the next
 * round. Each caller gets a distinct index from 0 to parties - 1 (the last to arrive gets parties - 1).
 *
 * Guarantees and pitfalls:
 * - Rounds (generations) do not overlap: parties of the next round wait until everyone has left the
 *   previous one.
 * - As in Python, a `wait` that times out breaks the barrier and throws {@link BrokenBarrierError} (it does
 *   not resolve `false`); so does an aborted wait (rejecting with the signal's reason), `abort()`, an
 *   action that throws, or `reset()` while parties wait. A broken barrier stays broken until `reset()`.
 * - The action is a function, so a Barrier that has one cannot be passed to another thread (marshal throws);
 *   instead let the party whose `wait` returns 0 do the work.
 * - `waitSync` blocks the whole thread.
 * - A party that dies while it waits (its thread exits or is terminated, its process exits or is killed)
 *   breaks the barrier for the others within ~100 ms, and never counts as arrived (up to 16 parties at
 *   once are tracked; see the README).
 *
 * @example
 * ```ts
 * const barrier = new Barrier(3);
 * // in each of three workers:
 * const i = barrier.waitSync();
 * if (i === 0) console.log("everyone arrived");
 * ```
 */
export class Barrier {
  /** Bytes of shared memory a Barrier needs (for the `memory` option). */
  static readonly byteLength = (PARTY + TRACKED) * 8;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;
  readonly #action: (() => void) | undefined;
  readonly #timeout: number | undefined;

  /**
   * Creates a barrier for `parties` callers.
   *
   * @example
   * ```ts
   * const b = new Barrier(2, { action: () => console.log("go"), timeout: 5000 });
   * ```
   */
  constructor(parties: number, options?: BarrierOptions) {
    const attach = isAttach(options);
    if (!attach) checkCount("Barrier", "parties", parties, 1);
    const action = attach ? undefined : options?.action;
    if (action !== undefined && typeof action !== "function") {
      throw new TypeError(`Barrier: action must be a function, got ${kindOf(action)}`);
    }
    const timeout = (options as BarrierOptions | undefined)?.timeout;
    if (timeout !== undefined) deadlineOf("Barrier", { timeout });
    this.#action = action;
    this.#timeout = timeout;
    this[kState] = stateFor(
      "Barrier",
      Barrier.byteLength,
      options as PrimitiveOptions | AttachOptions,
      BARRIER_OPTION_KEYS,
    );
    this.#i32 = this[kState].i32;
    if (!attach) Atomics.store(this.#i32, PARTIES, parties);
  }

  /**
   * The number of parties needed to trip the barrier.
   *
   * @example
   * ```ts
   * barrier.parties; // 3
   * ```
   */
  get parties(): number {
    return Atomics.load(this.#i32, PARTIES);
  }

  /**
   * The number of parties currently waiting for this round.
   *
   * @example
   * ```ts
   * barrier.nWaiting;
   * ```
   */
  get nWaiting(): number {
    return Atomics.load(this.#i32, STATE) === FILLING ? Atomics.load(this.#i32, COUNT) : 0;
  }

  /**
   * true when the barrier is broken.
   *
   * @example
   * ```ts
   * if (barrier.broken) barrier.reset();
   * ```
   */
  get broken(): boolean {
    return Atomics.load(this.#i32, STATE) === BROKEN;
  }

  /** @internal The default wait timeout, carried to other threads. */
  get defaultTimeout(): number | undefined {
    return this.#timeout;
  }

  /** @internal */
  [kLocalOnly](): string | undefined {
    return this.#action === undefined ? undefined : "has an action";
  }

  #opts(options: WaitOptions | undefined): WaitOptions | undefined {
    if (this.#timeout === undefined || options?.timeout !== undefined) return options;
    return { timeout: this.#timeout, signal: options?.signal };
  }

  /**
   * Waits without blocking until all parties arrive; resolves to this party's index. Rejects with
   * {@link BrokenBarrierError} if the barrier is or becomes broken (including by this wait timing out), or
   * with `signal.reason` on abort (which breaks the barrier for the others).
   *
   * @example
   * ```ts
   * const index = await barrier.wait({ timeout: 5000 });
   * ```
   */
  wait(options?: WaitOptions): Promise<number> {
    let signal: AbortSignal | undefined;
    let deadline: number;
    try {
      const o = this.#opts(options);
      signal = signalOf("Barrier.wait", o);
      deadline = deadlineOf("Barrier.wait", o);
    } catch (e) {
      return Promise.reject(e);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return runAsync(this.#steps(deadline), signal);
  }

  /**
   * Like {@link Barrier.wait}, blocking the thread.
   *
   * @example
   * ```ts
   * const index = barrier.waitSync();
   * ```
   */
  waitSync(options?: WaitOptions): number {
    const o = this.#opts(options);
    const signal = signalOf("Barrier.waitSync", o);
    const deadline = deadlineOf("Barrier.waitSync", o);
    if (signal?.aborted) throw signal.reason;
    return runSync(this.#steps(deadline));
  }

  /**
   * Breaks the barrier: current and future waits throw {@link BrokenBarrierError} until `reset()`.
   *
   * @example
   * ```ts
   * barrier.abort();
   * ```
   */
  abort(): void {
    this.#lock();
    this.#breakLocked();
    this.#unlock();
  }

  /**
   * Returns the barrier to its initial empty state. Parties waiting right now get
   * {@link BrokenBarrierError}.
   *
   * @example
   * ```ts
   * barrier.reset();
   * ```
   */
  reset(): void {
    const i32 = this.#i32;
    this.#lock();
    this.#reapLocked(); // a dead party would otherwise keep the reset from ever finishing
    if (i32[COUNT]! > 0) {
      if (i32[STATE] === FILLING || i32[STATE] === BROKEN) i32[STATE] = RESETTING;
    } else {
      i32[STATE] = FILLING;
    }
    this.#bump();
    this.#unlock();
  }

  /**
   * Readable form for `util.inspect` and `console.log` (see {@link Barrier.toString}).
   *
   * @example
   * ```ts
   * console.log(new Barrier(3)); // Barrier <waiters=0/3>
   * ```
   */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * `Barrier <waiters=2/3>` (parties waiting in this round / parties), or `Barrier <broken>`, as Python's
   * repr shows it.
   *
   * @example
   * ```ts
   * String(new Barrier(3)); // "Barrier <waiters=0/3>"
   * ```
   */
  toString(): string {
    return this.broken ? "Barrier <broken>" : `Barrier <waiters=${this.nWaiting}/${this.parties}>`;
  }

  #lock(): void {
    if (Atomics.compareExchange(this.#i32, BOOKKEEPING, 0, this[kState].me) === 0) return;
    // Taken over from a party that died in the middle of its bookkeeping: the counts may be half-updated,
    // so the barrier is broken (reset() starts it afresh).
    if (holderWordBlocking(this[kState], BOOKKEEPING, NO_RECORD)) this.#breakLocked();
  }
  #unlock(): void {
    releaseOwnWord(this[kState], BOOKKEEPING);
  }
  #bump(): void {
    Atomics.add(this.#i32, SEQ, 1);
    this[kState].waiter.notify(this.#i32, SEQ, Number.POSITIVE_INFINITY);
  }
  #breakLocked(): void {
    this.#i32[STATE] = BROKEN;
    this.#bump();
  }
  /** A party leaves (its record at `rec`, if tracked); the last one out of a drained or reset round opens the next. */
  #leaveLocked(rec: number): void {
    const i32 = this.#i32;
    if (rec >= 0) clearHolder(this[kState].f64, rec);
    const left = i32[COUNT]! - 1;
    i32[COUNT] = left;
    if (left === 0 && (i32[STATE] === RESETTING || i32[STATE] === DRAINING)) {
      i32[STATE] = FILLING;
      this.#bump();
    }
  }
  /** Records the arriving party in a free slot: the slot, or -1 when all are taken (not tracked). */
  #arriveLocked(): number {
    const f64 = this[kState].f64;
    for (let rec = PARTY; rec < PARTY + TRACKED; rec++) {
      if (f64[rec] === 0) {
        recordHolder(f64, rec);
        return rec;
      }
    }
    return -1;
  }
  /** Removes the parties known dead (they leave, never having arrived): how many. */
  #reapLocked(): number {
    const f64 = this[kState].f64;
    let dead = 0;
    for (let rec = PARTY; rec < PARTY + TRACKED; rec++) {
      if (f64[rec] !== 0 && recordDead(f64, rec)) {
        dead++;
        this.#leaveLocked(rec);
      }
    }
    return dead;
  }

  *#steps(deadline: number): Steps<number> {
    const i32 = this.#i32;
    let check = performance.now() + LIVENESS_SLICE_MS;
    // Wait for the previous round to drain (or a reset to finish).
    for (;;) {
      this.#lock();
      const st = i32[STATE];
      if (st === FILLING) break;
      if (st === BROKEN) {
        this.#unlock();
        throw new BrokenBarrierError("Barrier.wait: the barrier is broken; call reset() to use it again");
      }
      // A party of the previous round that died before leaving it must not keep the round open.
      if (performance.now() >= check) {
        this.#reapLocked();
        check = performance.now() + LIVENESS_SLICE_MS;
      }
      const seq = Atomics.load(i32, SEQ);
      this.#unlock();
      let ok: boolean;
      try {
        ok = yield park(this[kState], SEQ, seq, Math.min(deadline, check));
      } catch (reason) {
        this.abort();
        throw reason;
      }
      if (!ok && performance.now() >= deadline) {
        this.abort();
        throw new BrokenBarrierError("Barrier.wait timed out; the barrier is now broken");
      }
    }
    const index = i32[COUNT]!;
    i32[COUNT] = index + 1;
    const rec = this.#arriveLocked();
    if (index + 1 === i32[PARTIES]) {
      // The last to arrive: a party that died waiting never counts as arrived.
      if (this.#reapLocked() === 0) return this.#trip(index, rec);
      this.#breakLocked();
      this.#leaveLocked(rec);
      this.#unlock();
      throw new BrokenBarrierError(DIED);
    }
    this.#unlock();
    let failure: unknown;
    let failed = false;
    let died = false;
    try {
      for (;;) {
        this.#lock();
        const st = i32[STATE]!;
        if (st === DRAINING || st < 0) break;
        if (performance.now() >= check) {
          if (this.#reapLocked() > 0) {
            this.#breakLocked();
            died = true;
            break;
          }
          check = performance.now() + LIVENESS_SLICE_MS;
        }
        const seq = Atomics.load(i32, SEQ);
        this.#unlock();
        if (
          !(yield park(this[kState], SEQ, seq, Math.min(deadline, check))) &&
          performance.now() >= deadline
        ) {
          this.#lock();
          if (i32[STATE] === DRAINING) break; // it tripped just in time
          this.#breakLocked();
          failed = true;
          failure = new BrokenBarrierError("Barrier.wait timed out; the barrier is now broken");
          break;
        }
      }
    } catch (reason) {
      this.#lock();
      this.#breakLocked();
      failed = true;
      failure = reason;
    }
    // The bookkeeping lock is held here.
    const passed = !failed && i32[STATE] === DRAINING;
    this.#leaveLocked(rec);
    this.#unlock();
    if (failed) throw failure;
    if (died) throw new BrokenBarrierError(DIED);
    if (!passed) {
      throw new BrokenBarrierError(
        "Barrier.wait: the barrier was broken (aborted, reset, timed out, or a party died) while waiting",
      );
    }
    return index;
  }

  /** The last party: run the action outside the bookkeeping lock, then release everyone. */
  #trip(index: number, rec: number): number {
    const i32 = this.#i32;
    i32[STATE] = TRIPPING;
    this.#unlock();
    let failure: unknown;
    let failed = false;
    if (this.#action !== undefined) {
      try {
        this.#action();
      } catch (e) {
        failed = true;
        failure = e;
      }
    }
    this.#lock();
    const intact = i32[STATE] === TRIPPING;
    if (failed) this.#breakLocked();
    else if (intact) {
      i32[STATE] = DRAINING;
      this.#bump();
    }
    this.#leaveLocked(rec);
    this.#unlock();
    if (failed) throw failure;
    if (!intact)
      throw new BrokenBarrierError("Barrier.wait: the barrier was aborted or reset during the action");
    return index;
  }
}
