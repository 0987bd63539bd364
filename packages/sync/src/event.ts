import { inspectCustom, kState, stateFor } from "./internal.js";
import type { PrimitiveOptions, SharedState } from "./memory.js";
import { deadlineOf, park, runAsync, runSync, type Steps, signalOf, type WaitOptions } from "./park.js";

// State words (Int32 indices; words 0-3 are the header every primitive starts with, see memory.ts):
//   4  FLAG    the flag: 0 clear, 1 set
//   5  GEN  generation: bumped by every set() that turns the flag from clear to set. Waiters sleep on GEN,
//           not on FLAG, so a waiter that saw GEN = g before it slept knows a set() happened once GEN != g, even
//           if clear() has already lowered the flag again (set(); clear() must wake every waiter, as in
//           Python). Wraps at 2^32 sets; a waiter would have to sleep through exactly 2^32 of them to miss one.
const FLAG = 4;
const GEN = 5;
const TRUE: Promise<boolean> = Promise.resolve(true);

/**
 * A flag threads and tasks can wait for (Python's `threading.Event`). Starts clear; `set()` wakes every
 * waiter, in this event loop and in every thread the event was passed to.
 *
 * Guarantees and pitfalls:
 * - `wait` returns immediately once the flag is set; it resolves `false` only if the timeout passed while
 *   the flag stayed clear.
 * - Every wait that was already waiting when `set()` ran returns `true`, even if `clear()` follows at once.
 *   A wait that starts after the `clear()` waits for the next `set()`: for a repeating signal where no
 *   round may be missed, use a {@link Condition} or a {@link Semaphore}.
 * - `waitSync` blocks the whole thread; on the main thread nothing else runs until another thread sets it.
 *
 * @example
 * ```ts
 * const started = new Event();
 * startWorker(started);          // the worker calls started.set()
 * await started.wait();
 * console.log("countdown is running");
 * ```
 */
export class Event {
  /** Bytes of shared memory an Event needs (for the `memory` option). */
  static readonly byteLength = 24;
  /** @internal */
  readonly [kState]: SharedState;
  readonly #i32: Int32Array;

  /**
   * Creates a clear Event.
   *
   * @example
   * ```ts
   * const stop = new Event();
   * ```
   */
  constructor(options?: PrimitiveOptions) {
    this[kState] = stateFor("Event", Event.byteLength, options);
    this.#i32 = this[kState].i32;
  }

  /**
   * Sets the flag and wakes every waiter.
   *
   * @example
   * ```ts
   * event.set();
   * ```
   */
  set(): void {
    const i32 = this.#i32;
    if (Atomics.exchange(i32, FLAG, 1) === 0) {
      Atomics.add(i32, GEN, 1);
      this[kState].waiter.notify(i32, GEN, Number.POSITIVE_INFINITY);
    }
  }

  /**
   * Clears the flag, so later waits block until the next `set()`.
   *
   * @example
   * ```ts
   * event.clear();
   * ```
   */
  clear(): void {
    Atomics.store(this.#i32, FLAG, 0);
  }

  /**
   * true when the flag is set.
   *
   * @example
   * ```ts
   * if (stop.isSet()) return;
   * ```
   */
  isSet(): boolean {
    return Atomics.load(this.#i32, FLAG) === 1;
  }

  /**
   * Waits without blocking until the flag is set. Resolves `true`, or `false` if `timeout` ms passed with
   * the flag still clear; rejects with `signal.reason` on abort, and with {@link InvalidTimeoutError} (or a
   * TypeError) for bad options.
   *
   * @example
   * ```ts
   * if (!(await ready.wait({ timeout: 1000 }))) console.log("not ready yet");
   * ```
   */
  wait(options?: WaitOptions): Promise<boolean> {
    let signal: AbortSignal | undefined;
    let deadline: number;
    try {
      signal = signalOf("Event.wait", options);
      deadline = deadlineOf("Event.wait", options);
    } catch (e) {
      return Promise.reject(e);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (Atomics.load(this.#i32, FLAG) === 1) return TRUE;
    return runAsync(this.#steps(deadline), signal);
  }

  /**
   * Blocks the calling thread until the flag is set. Returns `true`, or `false` on timeout.
   *
   * @example
   * ```ts
   * stop.waitSync({ timeout: 50 });
   * ```
   */
  waitSync(options?: WaitOptions): boolean {
    const signal = signalOf("Event.waitSync", options);
    const deadline = deadlineOf("Event.waitSync", options);
    if (signal?.aborted) throw signal.reason;
    if (Atomics.load(this.#i32, FLAG) === 1) return true;
    return runSync(this.#steps(deadline));
  }

  /**
   * Readable form for `util.inspect` and `console.log` (see {@link Event.toString}).
   *
   * @example
   * ```ts
   * console.log(new Event()); // Event <unset>
   * ```
   */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * `Event <set>` or `Event <unset>`, as Python's repr shows it.
   *
   * @example
   * ```ts
   * String(new Event()); // "Event <unset>"
   * ```
   */
  toString(): string {
    return `Event <${this.isSet() ? "set" : "unset"}>`;
  }

  *#steps(deadline: number): Steps<boolean> {
    const i32 = this.#i32;
    // GEN before FLAG: if FLAG is still 0 after this load, any set() from here on moves GEN away from `gen`.
    const gen = Atomics.load(i32, GEN);
    for (;;) {
      if (Atomics.load(i32, FLAG) === 1 || Atomics.load(i32, GEN) !== gen) return true;
      if (!(yield park(this[kState], GEN, gen, deadline))) {
        return Atomics.load(i32, FLAG) === 1 || Atomics.load(i32, GEN) !== gen;
      }
    }
  }
}
