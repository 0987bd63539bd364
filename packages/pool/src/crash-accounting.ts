import type { CoreState } from "./core-state.js";
import { BrokenExecutorError, BrokenWorkerError } from "./errors.js";
import type { Task } from "./task.js";
import type { WorkerState } from "./worker-state.js";

/**
 * What happens to a worker's tasks when it leaves service, on purpose or not, and to the executor when
 * workers keep dying. A worker that dies fails only the tasks that had started on it (BrokenWorkerError, or
 * the transport's own kind); the others go back to the front of the queue and run elsewhere. A worker weft
 * stops itself (idle, used up, timeout, abort, shutdown) is taken out of service at once, but the results of
 * its started tasks still count until it exits: a worker sends every result it holds before it starts a
 * task that can be stopped (FLAG_STOPPABLE), and a slot says DONE before its result is sent. Workers that die
 * before they are ready are replaced after a back-off (respawn-policy.ts) until the budget is spent; then
 * the executor breaks.
 */
export class CrashAccounting {
  readonly #s: CoreState;

  constructor(state: CoreState) {
    this.#s = state;
  }

  /**
   * Removes a worker from service: tasks that had not started go back to the queue front (all of them when
   * the worker never got ready: none can have started). Started tasks fail with `startedError`, or, with
   * `keepStarted` (weft stops the worker itself), stay attached so their results still count until it
   * exits; {@link WorkerState.stopError} then fails what is left.
   */
  retire(w: WorkerState, keepStarted: boolean, startedError?: (t: Task) => unknown): void {
    if (!w.alive) return;
    const s = this.#s;
    w.alive = false;
    if (w.stopTimer !== undefined) w.stopTimer.clear();
    const i = s.workers.indexOf(w);
    if (i >= 0) s.workers.splice(i, 1);
    const back: Task[] = [];
    const window = w.window;
    const neverReady = !w.ready;
    for (let k = 0; k < window.length; k++) {
      const slot = window.slotAt(k);
      const t = window.tasks[slot];
      if (t === null || t === undefined) continue;
      const mine = t.postedTo(w);
      const notStarted =
        mine && (window.states !== null ? window.withdraw(slot) : neverReady && !keepStarted);
      // With keepStarted (weft stops the worker itself) a started task stays attached, and so does an unstarted
      // one whose buffers were transferred to this worker (it can run nowhere else): the worker skips it, and
      // stopError fails it when the worker has exited.
      if (mine && keepStarted && (!notStarted || t.transfer !== undefined)) continue;
      window.take(slot);
      s.inflight--;
      if (!mine) continue;
      if (notStarted && t.transfer === undefined) back.push(t);
      else s.finish(t, false, startedError!(t));
    }
    window.trim();
    for (let k = back.length - 1; k >= 0; k--) s.requeueFirst(back[k]!);
    s.scheduler.schedule();
  }

  /**
   * The worker is ending by itself and will not start the tasks in `slots`, which it was sent (MSG_DECLINED:
   * without shared slot memory the core cannot withdraw them). They go back to the queue front, in order, to
   * run elsewhere; the worker is taken out of service (nothing more is sent to it), and its started tasks stay
   * attached: their results still count until it exits, and what is left then fails as when it crashes.
   */
  declined(w: WorkerState, slots: readonly number[]): void {
    const s = this.#s;
    const window = w.window;
    const back: Task[] = [];
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k]!;
      const t = window.tasks[slot];
      // One whose buffers were transferred to this worker can run nowhere else: it fails when the worker exits.
      if (t === null || t === undefined || !t.postedTo(w) || t.transfer !== undefined) continue;
      window.take(slot);
      s.inflight--;
      back.push(t);
    }
    window.trim();
    for (let k = back.length - 1; k >= 0; k--) s.requeueFirst(back[k]!);
    this.retire(w, true); // (once: a later MSG_DECLINED finds it out of service)
    s.scheduler.schedule();
  }

  /**
   * Stops a worker on purpose. Tasks that have not started go elsewhere; tasks it had finished still
   * deliver their results; a task still attached when it exits was running and fails with `reason`.
   */
  stop(w: WorkerState, reason?: string): void {
    w.stopping = true;
    this.retire(w, true);
    w.stopError = () =>
      this.brokenWorker(null, null, new Error(reason ?? "the worker was stopped by the executor"));
    w.channel.terminate();
  }

  /** The error for the tasks of a dead worker: the transport's own kind when it has one. */
  brokenWorker(code: number | null, signal: string | null, cause: unknown): BrokenWorkerError {
    const transport = this.#s.transport;
    return transport.brokenWorkerError !== undefined
      ? transport.brokenWorkerError(code, signal, cause)
      : new BrokenWorkerError(code, signal, cause);
  }

  /** A worker's transport reported its exit. */
  exited(w: WorkerState, code: number | null, signal: string | null): void {
    const s = this.#s;
    s.alive--;
    if (w.stopTimer !== undefined) w.stopTimer.clear();
    w.stopHow = null;
    if (w.alive) {
      // A crash: it left without being asked.
      const crashedBeforeReady = !w.ready && !w.stopping;
      const error = w.lastError;
      let carried = false;
      this.retire(w, false, () => {
        carried = true;
        return this.brokenWorker(code, signal, error);
      });
      // After shutdown() too: the tasks it still waits for need a worker, and deaths before ready must still
      // back off and spend the budget (else they respawn at once, for ever, and shutdown() never resolves).
      if (crashedBeforeReady && s.broken === undefined && !s.terminating && !s.respawn.failed()) {
        carried = true;
        const why =
          error instanceof Error ? `${error.name}: ${error.message}` : `exit code ${code ?? signal}`;
        s.shutdown.breakExecutor(
          new BrokenExecutorError(
            `${s.respawn.failures} workers in a row died before they were ready (last: ${why}); the ` +
              "executor gave up (respawn.retries). Check the worker's initializer, the modules it imports " +
              "and its Node options, or allow more retries with the respawn option",
            { cause: error },
          ),
        );
      }
      // An error no future carries (it came between tasks: a stray timer, an unhandled rejection) is not
      // dropped: the transport reports it (thread pool: the threads excepthook), else stderr.
      if (!carried && error !== undefined) reportUncaught(w, error);
      s.growth.refill();
    } else if (w.window.length > 0) {
      const error = w.stopError ?? (() => this.brokenWorker(code, signal, w.lastError));
      if (!w.ready) this.#releaseUnstarted(w, error);
      else this.#failAttached(w, error);
    }
    s.shutdown.checkDrained();
  }

  /**
   * The tasks still attached to a stopped worker whose READY never arrived (every message it sent has
   * arrived). Without shared slots none of them started: after terminateWorkers()/killWorkers() they are
   * cancelled, else they go back to the queue front. With shared slots its READY may have been dropped
   * (it came after the worker was taken out of service) while a task started: a slot that says so fails its
   * task with `error`, like a started task of a worker that was ready.
   */
  #releaseUnstarted(w: WorkerState, error: (t: Task) => unknown): void {
    const s = this.#s;
    const window = w.window;
    const back: Task[] = [];
    const started: Task[] = [];
    for (let k = 0; k < window.length; k++) {
      const slot = window.slotAt(k);
      const t = window.tasks[slot];
      if (t === null || t === undefined) continue;
      s.inflight--;
      if (t.postedTo(w)) (window.hasStarted(slot) ? started : back).push(t);
    }
    window.empty();
    for (const t of started) s.finish(t, false, error(t));
    for (let k = back.length - 1; k >= 0; k--) {
      const t = back[k]!;
      s.requeueFirst(t);
      // A queued task cancels like any other (its future then rejects with CancelledError).
      if (s.stopped) t.future.cancel();
    }
    s.scheduler.schedule();
  }

  /** Fails the tasks still attached to a worker that is gone, and frees their slots. */
  #failAttached(w: WorkerState, error: (t: Task) => unknown): void {
    const s = this.#s;
    const window = w.window;
    const attached: Task[] = [];
    for (let k = 0; k < window.length; k++) {
      const t = window.tasks[window.slotAt(k)];
      if (t === null || t === undefined) continue;
      s.inflight--;
      if (t.postedTo(w)) attached.push(t);
    }
    window.empty();
    for (const t of attached) s.finish(t, false, error(t));
  }
}

/** Reports an error worker `w` died of that no task's future carries. */
function reportUncaught(w: WorkerState, error: unknown): void {
  try {
    if (w.channel.reportUncaught !== undefined) {
      w.channel.reportUncaught(error);
      return;
    }
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    process.stderr.write(`Exception in executor worker ${w.id}:\n${text}\n`);
  } catch {
    // reporting itself failed (stderr closed): nothing left to report to
  }
}
