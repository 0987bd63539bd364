import { LongTimer } from "@weft/sync/extension";
import type { CoreState } from "./core-state.js";
import { CancelledError, ShutdownError, WorkerTerminatedError } from "./errors.js";
import { QUEUED } from "./task.js";
import type { WorkerState } from "./worker-state.js";

/**
 * ms a worker stopped by terminateWorkers()/killWorkers() gets to send the results of tasks it has finished
 * (its slots say DONE) before it is stopped anyway: a worker between tasks sends them at once; one that
 * runs a task that does not end cannot (see README, "Faults").
 */
const FLUSH_GRACE_MS = 250;

/**
 * The end of an executor: shutdown (stop accepting, optionally cancel what has not started, stop the
 * workers once every accepted task is done), terminateWorkers()/killWorkers() (stop every worker now, keeping
 * the results of tasks that finished), and breakage (a failed initializer or too many deaths before ready:
 * every waiting task fails with the same BrokenExecutorError).
 */
export class Shutdown {
  readonly #s: CoreState;
  /** Holders that will still submit after shutdown() (see hold()). */
  #holds = 0;
  #done: Promise<void> | undefined;
  #resolveDone: (() => void) | undefined;
  /** A shutdown({ wait: true }) was asked for: its caller waits for the running tasks (see shutdown()). */
  #waited = false;

  constructor(state: CoreState) {
    this.#s = state;
  }

  /** Keeps a shut-down executor's workers until {@link Shutdown.release}. */
  hold(): void {
    this.#holds++;
  }

  release(): void {
    this.#holds--;
    this.checkDrained();
  }

  /** See ExecutorCore.shutdown. */
  shutdown(wait: boolean, cancelFutures: boolean): Promise<void> {
    const s = this.#s;
    this.#begin();
    if (cancelFutures) {
      // Running tasks see their signal abort; they end (or not) by themselves, as before.
      s.cancellation.cancelAll(
        new CancelledError("shutdown({ cancelFutures: true }) asked the running task to stop"),
      );
      // The caller wants no more of this pool's work: tasks still running no longer keep the process alive
      // (they run on if it stays alive for other reasons, and die with it otherwise), except those whose
      // future is waited for: the waiter gets their outcome. Not while a shutdown({ wait: true }) waits.
      if (!wait && !this.#waited) this.#detach();
    }
    // As Python's shutdown(wait=True), which joins the workers whatever an earlier call said: its caller waits
    // for the running tasks, so they keep the process alive again (else it would end with this wait pending).
    if (wait && !this.#waited) {
      this.#waited = true;
      this.#attach();
    }
    this.checkDrained();
    return wait ? this.#done! : Promise.resolve();
  }

  /** See ExecutorCore.stopWorkers. */
  stopWorkers(how: "terminate" | "kill"): Promise<void> {
    const s = this.#s;
    s.stopped = true;
    this.#begin();
    const error = new WorkerTerminatedError(how === "kill" ? "killWorkers" : "terminateWorkers");
    // terminateWorkers() asks running tasks to stop and gives them killAfter (see stopWhenFlushed).
    const grace = how === "terminate" ? s.settings.killAfter : 0;
    s.cancellation.cancelAll(grace === 0 ? undefined : error);
    s.detached = true;
    for (const w of [...s.workers]) {
      w.stopping = true;
      // Until it has exited (soon), so that awaiting this call keeps the process alive.
      w.ref();
      s.crashes.retire(w, true);
      w.stopError = () => error;
      w.stopHow = how;
      this.stopWhenFlushed(w);
    }
    this.checkDrained();
    return this.#done!;
  }

  #begin(): void {
    const s = this.#s;
    if (s.isShutdown) return;
    this.#markShutdown();
    // A back-off in progress (a worker died before it was ready) goes on: the tasks shutdown() waits for need
    // the worker it will start. checkDrained() and breakExecutor() end it once nothing waits.
    s.roomWaiters.rejectAll(new ShutdownError());
  }

  #markShutdown(): void {
    this.#s.isShutdown = true;
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  #detach(): void {
    const s = this.#s;
    s.detached = true;
    for (const w of s.workers) this.holdForWaiters(w);
  }

  /** Undoes {@link Shutdown.#detach}: workers with tasks keep the process alive again, idle ones do not. */
  #attach(): void {
    const s = this.#s;
    if (!s.detached) return;
    s.detached = false;
    for (const w of s.workers) if (w.window.count > 0 || w.stopping) w.ref();
  }

  /**
   * After detaching: `w` keeps the process alive while it runs a task whose future is waited for, and not
   * otherwise. A worker stopped by terminate/kill keeps it alive until it exits (stopWorkers).
   */
  holdForWaiters(w: WorkerState): void {
    if (w.stopping) return;
    const window = w.window;
    for (let k = 0; k < window.length; k++) {
      const t = window.tasks[window.slotAt(k)];
      if (t?.postedTo(w) && t.awaited) {
        w.ref();
        return;
      }
    }
    w.unref();
  }

  /**
   * Stops a worker taken out of service by terminateWorkers()/killWorkers() once it holds no finished
   * result that has not arrived (slots that say DONE), or after FLUSH_GRACE_MS. Without shared memory any task
   * posted to a ready worker may have finished (the core could not withdraw it, and cannot tell): it is waited
   * for alike. One not ready yet has started none: it stops at once, and they are cancelled (see
   * CrashAccounting.exited).
   */
  stopWhenFlushed(w: WorkerState): void {
    const how = w.stopHow;
    if (how === null) return;
    let held = false;
    // A running task asked to stop by terminateWorkers() gets killAfter to end.
    let stopping = false;
    const window = w.window;
    const unknown = window.states === null && w.ready;
    for (let k = 0; k < window.length && !stopping; k++) {
      const slot = window.slotAt(k);
      const t = window.tasks[slot];
      if (!t?.postedTo(w)) continue;
      if (window.isDone(slot)) held = true;
      else if (t.stopReason !== undefined && how === "terminate") held = stopping = true;
      else if (unknown) held = true;
    }
    if (held && w.stopTimer === undefined) {
      const grace = stopping ? Math.max(FLUSH_GRACE_MS, this.#s.settings.killAfter) : FLUSH_GRACE_MS;
      if (grace === Number.POSITIVE_INFINITY) return; // killAfter Infinity: it stops when the task ends
      w.stopTimer = new LongTimer(() => {
        w.stopHow = null;
        w.channel.terminate(how);
      }, grace);
      return;
    }
    if (held) return;
    w.stopHow = null;
    w.stopTimer?.clear();
    w.channel.terminate(how);
  }

  /** The executor cannot run tasks any more: every worker stops and every waiting task fails with `err`. */
  breakExecutor(err: Error): void {
    const s = this.#s;
    if (s.broken !== undefined) return;
    s.broken = err;
    s.respawn.clear();
    for (const w of [...s.workers]) {
      w.stopping = true;
      s.crashes.retire(w, false, () => err);
      w.channel.terminate();
    }
    for (const t of s.queue.drain()) {
      if (t.stage === QUEUED) {
        s.leftQueue(t);
        s.finish(t, false, err);
      }
    }
    s.roomWaiters.rejectAll(err);
    if (!s.isShutdown) this.#markShutdown();
    this.checkDrained();
  }

  /**
   * After shutdown: once every accepted task is done, stops the workers; once every worker has exited,
   * resolves the promise shutdown() returned.
   */
  checkDrained(): void {
    const s = this.#s;
    if (!s.isShutdown) return;
    if (!s.terminating) {
      if (s.queued > 0 || s.inflight > 0 || this.#holds > 0) return;
      s.terminating = true;
      s.deadlines.clear();
      s.growth.clear();
      s.respawn.clear();
      for (const w of [...s.workers]) s.crashes.stop(w);
    }
    if (s.alive === 0 && this.#resolveDone !== undefined) {
      this.#resolveDone();
      this.#resolveDone = undefined;
    }
  }
}
