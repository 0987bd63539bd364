import { performance } from "node:perf_hooks";
import { LongTimer } from "@weft/sync/extension";

/**
 * One timer for the earliest of many deadlines (the executor core's per-task timeouts). Asking for a
 * deadline later than the armed one changes nothing; an earlier one re-arms the timer, so a short timeout is
 * never held back by a long one armed before it. Delays beyond setTimeout's range are honoured (LongTimer).
 * The timer never keeps the process alive.
 */
export class DeadlineTimer {
  readonly #fire: () => void;
  #timer: LongTimer | undefined;
  /** performance.now() at which the armed timer fires; Infinity when none is armed. */
  #due = Number.POSITIVE_INFINITY;

  constructor(fire: () => void) {
    this.#fire = fire;
  }

  /** Makes sure the callback runs at the latest `ms` milliseconds from now (Infinity: no change). */
  within(ms: number): void {
    if (ms === Number.POSITIVE_INFINITY) return;
    const due = performance.now() + ms;
    if (due >= this.#due) return;
    this.#timer?.clear();
    this.#due = due;
    this.#timer = new LongTimer(this.#run, ms).unref();
  }

  /** Disarms the timer. */
  clear(): void {
    this.#timer?.clear();
    this.#timer = undefined;
    this.#due = Number.POSITIVE_INFINITY;
  }

  #run = (): void => {
    this.#timer = undefined;
    this.#due = Number.POSITIVE_INFINITY;
    this.#fire();
  };
}
