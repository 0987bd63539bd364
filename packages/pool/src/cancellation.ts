import type { CoreState } from "./core-state.js";
import { settleFuture } from "./future.js";
import { unlistenAbort } from "./interop.js";
import { FINISHED, POSTED, QUEUED, type Task, type TaskHandlers } from "./task.js";

/**
 * Cancellation and abort of tasks. A task that has not started can be withdrawn: from the queue, or, with
 * shared slot memory, from a worker's window by winning its slot (PENDING -> WITHDRAWN) before the worker
 * claims it, so a task never both runs and counts as cancelled. A task whose AbortSignal fires is withdrawn
 * the same way; if it already runs, its future fails with the signal's reason and its worker is stopped
 * (JavaScript that runs cannot be interrupted any other way); if it already finished, its result wins.
 *
 * Every way a task is asked to stop comes through here (its signal, and through `cancelAll` shutdown with
 * cancelFutures and terminate/kill), and the one decision about a task that already runs is the end of
 * {@link Cancellation.abort}. Cooperative cancellation (a live signal in the running task, the worker stopped
 * only after a grace period) replaces that decision: tell the worker (a record of its own in
 * message-codec.ts), arm the grace with the deadlines unit, and stop the worker (crash-accounting.ts) only if
 * the task's result has not come by then.
 */
export class Cancellation implements TaskHandlers {
  readonly #s: CoreState;

  constructor(state: CoreState) {
    this.#s = state;
  }

  /** Future.cancel(): true when the task had not started and now never will. */
  withdraw(t: Task): boolean {
    const s = this.#s;
    if (t.stage === QUEUED) {
      t.stage = FINISHED;
      s.queued--;
      if (t.signal !== undefined) unlistenAbort(t.signal, t);
      if (s.roomWaiters.size > 0) s.wakeRoom();
      if (s.isShutdown) queueMicrotask(() => s.shutdown.checkDrained());
      return true;
    }
    if (t.stage === POSTED) {
      const window = t.worker!.window;
      if (window.states === null || !window.withdraw(t.slot)) return false;
      t.stage = FINISHED;
      if (t.signal !== undefined) unlistenAbort(t.signal, t);
      return true;
    }
    return false;
  }

  /** Future.running(): true while the task runs (without shared memory: while it heads its worker's window). */
  isRunning(t: Task): boolean {
    if (t.stage !== POSTED) return false;
    const window = t.worker!.window;
    return window.states === null ? window.head === t.slot : window.isRunning(t.slot);
  }

  /** The task's AbortSignal fired. */
  abort(t: Task): void {
    const reason = t.signal!.reason;
    if (t.stage === QUEUED || (t.stage === POSTED && this.withdraw(t))) {
      if (t.stage === QUEUED) this.withdraw(t);
      settleFuture(t.future, false, reason);
      return;
    }
    if (t.stage !== POSTED) return;
    const w = t.worker!;
    // Finished already: its result is on its way and wins (it finished before the abort).
    if (w.window.isDone(t.slot)) return;
    // Running: the only way to stop JavaScript that runs is to stop its worker.
    const s = this.#s;
    s.finish(t, false, reason);
    s.crashes.stop(w, "the worker was stopped because the signal of the task it was running was aborted");
  }

  /** Cancels every task that has not started: queued ones, and posted ones whose slot the core wins. */
  cancelAll(): void {
    const s = this.#s;
    for (const t of s.queue.drain()) {
      if (t.stage === QUEUED) t.future.cancel();
    }
    for (const w of s.workers) {
      const window = w.window;
      for (let k = 0; k < window.length; k++) {
        const t = window.tasks[window.slotAt(k)];
        if (t?.postedTo(w)) t.future.cancel();
      }
    }
  }
}
