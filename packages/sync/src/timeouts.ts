// One validation rule for every timeout weft takes (waits, joins, futures, pool options), and a timer that
// honours delays beyond setTimeout's range (Node fires a delay above 2^31 - 1 ms after about 1 ms).

import { InvalidTimeoutError } from "./errors.js";

/** The longest delay one setTimeout honours (~24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;

/**
 * Validates a timeout in milliseconds: a finite number >= 0, or Infinity (no limit). Anything else (negative,
 * NaN, a string, ...) throws {@link InvalidTimeoutError} naming `what`.
 *
 * @param what - how the caller names it in the message, e.g. `"Future.result: timeout"`
 * @param value - the value given
 * @returns the value, as a number
 * @example
 * ```ts
 * import { checkTimeout } from "@weft/sync/extension";
 * const ms = checkTimeout("join: timeout", options.timeout ?? Infinity);
 * ```
 */
export function checkTimeout(what: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new InvalidTimeoutError(what, value);
  }
  return value;
}

/**
 * A one-shot timer for any delay: beyond setTimeout's range it chains timers, so it never fires early.
 * `Infinity` never fires (and holds no timer).
 *
 * @example
 * ```ts
 * import { LongTimer } from "@weft/sync/extension";
 * const t = new LongTimer(() => console.log("30 days later"), 30 * 86_400_000);
 * t.unref();
 * t.clear();
 * ```
 */
export class LongTimer {
  #fn: () => void;
  #due: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ref = true;

  /**
   * Starts the timer.
   * @param fn - runs once, when `ms` milliseconds have passed (unless cleared first)
   * @param ms - the delay; a validated timeout (see {@link checkTimeout})
   */
  constructor(fn: () => void, ms: number) {
    this.#fn = fn;
    this.#due = ms === Number.POSITIVE_INFINITY ? ms : performance.now() + ms;
    this.#arm(ms);
  }

  #arm(ms: number): void {
    if (ms === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(this.#tick, Math.min(Math.max(ms, 0), MAX_TIMER_MS));
    if (!this.#ref) this.#timer.unref();
  }

  #tick = (): void => {
    this.#timer = undefined;
    const left = this.#due - performance.now();
    // setTimeout may fire a fraction of a millisecond early; a chained leg re-arms for what is left.
    if (left >= 1) this.#arm(left);
    else this.#fn();
  };

  /** Stops the timer; `fn` will not run. Calling it again does nothing. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = Number.NaN;
  }

  /** Lets the process exit while the timer is pending. @returns this */
  unref(): this {
    this.#ref = false;
    this.#timer?.unref();
    return this;
  }

  /** Keeps the process alive while the timer is pending (the default). @returns this */
  ref(): this {
    this.#ref = true;
    this.#timer?.ref();
    return this;
  }

  /** Whether the timer is still to fire. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }
}
