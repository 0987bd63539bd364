import { performance } from "node:perf_hooks";
import { LongTimer } from "@weft/sync/extension";
import type { CoreState } from "./core-state.js";
import { TaskTimeoutError } from "./errors.js";
import { POSTED } from "./task.js";

/** Milliseconds since the epoch with sub-ms precision, comparable across threads (task start times). */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

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

/**
 * Per-task timeouts (the executor's `taskTimeout`, a task's own `timeout`): a task's clock starts when it
 * starts (the worker writes the time into shared slot memory; without it, when the task ahead of it ended),
 * and a task past its deadline is asked to stop (its signal aborts with a TimeoutError) and its future fails
 * with TaskTimeoutError; its worker is stopped if it has not ended `killAfter` ms later (the only way to
 * stop JavaScript that does not). One timer, armed for the earliest deadline or grace end, sweeps every
 * window.
 */
export class TaskDeadlines {
  readonly #s: CoreState;
  readonly #timer = new DeadlineTimer(() => this.#sweep());

  constructor(state: CoreState) {
    this.#s = state;
  }

  /** A task with this timeout was posted: a sweep runs within that time. */
  within(ms: number): void {
    this.#timer.within(ms);
  }

  /** No more sweeps (the executor is stopping its workers). */
  clear(): void {
    this.#timer.clear();
  }

  #sweep(): void {
    const s = this.#s;
    const now = clock();
    let next = Number.POSITIVE_INFINITY;
    let unknownStart = Number.POSITIVE_INFINITY;
    for (const w of [...s.workers]) {
      const window = w.window;
      for (let k = 0; k < window.length; k++) {
        const slot = window.slotAt(k);
        const t = window.tasks[slot];
        if (t == null || t.worker !== w || t.stage !== POSTED) continue;
        if (t.timeout === 0 && t.stopAt === 0) continue;
        // Finished: its result is on its way (a worker sends what it holds before a timed task starts).
        if (window.isDone(slot)) continue;
        if (t.stopAt !== 0) {
          // Asked to stop: its worker is stopped once the grace has run out.
          if (t.stopAt <= now + 0.5) {
            s.cancellation.graceExpired(t);
            break;
          }
          if (t.stopAt < next) next = t.stopAt;
          continue;
        }
        if (t.startedAt === 0) {
          if (window.states !== null) {
            if (window.isRunning(slot)) t.startedAt = window.starts![slot] || now;
          } else if (slot === window.head && w.ready) t.startedAt = now;
          if (t.startedAt === 0) {
            if (t.timeout < unknownStart) unknownStart = t.timeout;
            continue;
          }
        }
        const due = t.startedAt + t.timeout;
        if (due <= now + 0.5) {
          s.cancellation.stopRunning(
            t,
            new TaskTimeoutError(t.timeout),
            "TimeoutError",
            "the task it was running exceeded its timeout and did not end within killAfter",
            true,
          );
          if (t.stopAt === 0) break; // stopped at once (killAfter 0)
          if (t.stopAt < next) next = t.stopAt;
          continue;
        }
        if (due < next) next = due;
      }
    }
    if (s.terminating) return;
    // Tasks not started yet are checked again within a tenth of their timeout (they start, at the latest,
    // when the task ahead of them ends).
    const wait = Math.min(next - now, Math.max(1, unknownStart / 10));
    if (wait !== Number.POSITIVE_INFINITY) this.#timer.within(Math.max(1, wait));
    s.scheduler.schedule();
  }
}
