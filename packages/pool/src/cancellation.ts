import type { CoreState } from "./core-state.js";
import { clock } from "./deadlines.js";
import { CancelledError } from "./errors.js";
import { settleFuture } from "./future.js";
import { unlistenAbort } from "./interop.js";
import { cancelMessage } from "./message-codec.js";
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
 * {@link Cancellation.stopRunning}: cooperative cancellation. The worker is told (in its slot's shared state,
 * which a task polls with `currentTask().stopRequested`, and by a stop request of its own in message-codec.ts;
 * the task's `currentTask().signal` aborts), the grace (`killAfter`) is armed with the
 * deadlines unit, and the worker is stopped (crash-accounting.ts) only if the task's result has not come by
 * then. A task that ends in time keeps its worker: if it threw, its future fails with the reason it was
 * asked to stop for (the scheduler's settleResult); if it returned, its result wins.
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
      s.leftQueue(t);
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

  /**
   * Future.running(): true while the task runs. With shared memory the slot's state says so, whether or not
   * the worker's READY has arrived (a worker in another process may have sent READY and started the task
   * while the message is still on its way); without it, while the task heads the window of a worker that is
   * ready (no task starts before its worker's READY).
   */
  isRunning(t: Task): boolean {
    if (t.stage !== POSTED) return false;
    const w = t.worker!;
    const window = w.window;
    return window.states === null ? w.ready && window.head === t.slot : window.isRunning(t.slot);
  }

  /** Future waited for: after a detaching shutdown, its worker keeps the process alive while it runs. */
  awaited(t: Task): void {
    if (t.stage === POSTED && this.#s.detached) this.#s.shutdown.holdForWaiters(t.worker!);
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
    this.stopRunning(
      t,
      reason,
      "AbortError",
      "the signal of the task it was running was aborted and the task did not end within killAfter",
      true,
    );
  }

  /**
   * Asks the running task `t` to stop for `reason` (its worker-side signal aborts with an error named
   * `name`); with `kill`, its worker is stopped `killAfter` ms later if the task has not ended (at once when
   * killAfter is 0, or when the worker is already out of service), and the task then fails with `reason`
   * even if an earlier request without `kill` asked it to stop first.
   */
  stopRunning(t: Task, reason: unknown, name: string, why: string, kill: boolean): void {
    const s = this.#s;
    const w = t.worker!;
    const grace = s.settings.killAfter;
    if (kill && (grace === 0 || !w.alive)) {
      s.finish(t, false, reason);
      s.crashes.stop(w, `the worker was stopped because ${why}`);
      return;
    }
    if (t.stopReason === undefined) {
      t.stopReason = reason;
      const text = reason instanceof Error ? reason.message : String(reason);
      // Shared memory first (a task in a synchronous loop sees it at once), then the message (the signal's
      // reason with the executor's text, for a task whose event loop turns).
      w.window.requestStop(t.slot, name);
      try {
        w.channel.post(cancelMessage(t.slot, name, text));
      } catch {
        // The worker is going away: its exit settles the task.
      }
    }
    if (kill && grace !== Number.POSITIVE_INFINITY && t.stopAt === 0) {
      // The first request that may stop the worker: if it comes to that, the task fails with its reason, not
      // with that of an earlier one that only asked (shutdown with cancelFutures, terminateWorkers()).
      t.stopReason = reason;
      t.stopWhy = why;
      t.stopAt = clock() + grace;
      s.deadlines.within(grace);
    }
  }

  /** The grace of a task asked to stop ran out: it fails with its reason and its worker is stopped. */
  graceExpired(t: Task): void {
    const s = this.#s;
    const w = t.worker!;
    s.finish(t, false, t.stopReason);
    s.crashes.stop(w, `the worker was stopped because ${t.stopWhy}`);
  }

  /**
   * Cancels every task that has not started: queued ones, and posted ones whose slot the core wins. With
   * `runningReason`, tasks that already run are asked to stop with it (shutdown with cancelFutures,
   * terminateWorkers()), without a grace: the caller decides what happens to their workers.
   */
  cancelAll(runningReason?: unknown): void {
    const s = this.#s;
    for (const t of s.queue.drain()) {
      if (t.stage === QUEUED) t.future.cancel();
    }
    // Every posted task that has not started is withdrawn first, before any running task is told to stop: a
    // worker in another process may end its stopped task and claim the next one before this loop goes on.
    const started: Task[] = [];
    for (const w of s.workers) {
      const window = w.window;
      for (let k = 0; k < window.length; k++) {
        const t = window.tasks[window.slotAt(k)];
        if (t?.postedTo(w) && !t.future.cancel()) started.push(t);
      }
    }
    if (runningReason === undefined) return;
    const name = runningReason instanceof CancelledError ? "CancelledError" : "AbortError";
    for (const t of started) {
      const w = t.worker!;
      if (t.postedTo(w) && !w.window.isDone(t.slot) && this.isRunning(t)) {
        this.stopRunning(t, runningReason, name, "", false);
      }
    }
  }
}
