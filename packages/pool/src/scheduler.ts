import type { CoreState } from "./core-state.js";
import { clock } from "./deadlines.js";
import { BrokenExecutorError } from "./errors.js";
import { deserializeError, isTransportedError, marshal } from "./interop.js";
import {
  countResults,
  declinedSlots,
  firstResultSlot,
  initFailure,
  isLoneResult,
  MSG_DECLINED,
  MSG_INIT_FAILED,
  MSG_READY,
  MSG_RESULTS,
  messageKind,
  nextSlot,
  resultStatus,
  resultValue,
  STATUS_OK,
  STATUS_OK_ENCODED,
  STATUS_SKIPPED,
} from "./message-codec.js";
import { POSTED, QUEUED, type Task } from "./task.js";
import type { WorkerEvents, WorkerState } from "./worker-state.js";

/**
 * A task's or an initializer's error as it came off the wire: serializeError() data from the task server, or
 * a value a transport posted as it is (structured clone already rebuilt it).
 */
function errorFromWire(data: unknown): unknown {
  return isTransportedError(data) ? deserializeError(data) : data;
}

/** The names of a running task's signal reason (see task-server.ts): an error that comes of the stop request. */
// How a result is named in a MarshalError when this side cannot rebuild it, as the worker's encode names it.
const RESULT_PATH = { path: "result" } as const;
const STOP_NAMES: ReadonlySet<string> = new Set(["AbortError", "TimeoutError", "CancelledError"]);

function isStopError(err: unknown): boolean {
  const name = typeof err === "object" && err !== null ? (err as { name?: unknown }).name : undefined;
  return typeof name === "string" && STOP_NAMES.has(name);
}

/**
 * The hot path of an executor: moves queued tasks into workers' windows (posting ahead, without waiting for
 * a free worker, and batching the tasks one worker gets in one dispatch) and takes their results back
 * (freeing the slots and refilling the window before it settles the futures, so a worker never waits on the
 * core's bookkeeping). Everything else it hands to the other units.
 */
export class Scheduler implements WorkerEvents {
  readonly #s: CoreState;
  #scheduled = false;
  #dispatching = false;
  readonly #dispatchBound = (): void => this.dispatch();
  /** The tasks of a result batch, between freeing their slots and settling them (reused). */
  readonly #settling: (Task | null)[] = [];

  constructor(state: CoreState) {
    this.#s = state;
  }

  /** A task was queued: a lone task and an idle worker post now (lowest latency), else at the end of the tick. */
  queued(): void {
    const s = this.#s;
    if (s.queued === 1 && !this.#dispatching && this.#anyIdle()) this.dispatch();
    this.schedule();
  }

  /** Dispatches at the end of this tick if tasks wait (once, however often it is asked), so tasks submitted together travel together. */
  schedule(): void {
    if (this.#s.queued > 0 && !this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#dispatchBound);
    }
  }

  #anyIdle(): boolean {
    const workers = this.#s.workers;
    for (let i = 0; i < workers.length; i++) if (workers[i]!.window.count === 0) return true;
    return workers.length < this.#s.settings.maxWorkers;
  }

  dispatch(): void {
    this.#scheduled = false;
    const s = this.#s;
    if (s.queued === 0 || s.terminating || this.#dispatching) return;
    this.#dispatching = true;
    try {
      this.#fill();
    } finally {
      this.#dispatching = false;
    }
    if (s.roomWaiters.size > 0) s.wakeRoom();
  }

  /** Starts the workers the queue needs, then gives each worker its share of the queue, up to its window. */
  #fill(): void {
    const s = this.#s;
    const workers = s.workers;
    let idle = 0;
    for (let i = 0; i < workers.length; i++) if (workers[i]!.window.count === 0) idle++;
    s.growth.grow(idle);
    const n = workers.length;
    if (n === 0) return;
    const { window, maxTasksPerWorker } = s.settings;
    let share = Math.ceil((s.queued + s.inflight) / n);
    if (share > window) share = window;
    const queue = s.queue;
    for (let i = 0; i < n && s.queued > 0; i++) {
      const w = workers[i]!;
      let room = share - w.window.length;
      if (maxTasksPerWorker - w.assigned < room) room = maxTasksPerWorker - w.assigned;
      if (room <= 0) continue;
      while (room > 0) {
        const t = queue.shift();
        if (t === undefined) break;
        if (t.stage !== QUEUED) continue;
        s.leftQueue(t);
        this.#assign(w, t);
        room--;
      }
      if (!w.batch.empty) w.batch.post(w, this.#unsendable);
    }
  }

  #assign(w: WorkerState, t: Task): void {
    const s = this.#s;
    const window = w.window;
    if (window.count === 0) {
      if (!s.detached || t.awaited) w.ref();
      // Without shared memory a worker's first task starts when it gets it, as far as the core can tell.
      if (t.timeout > 0 && window.states === null && w.ready) t.startedAt = clock();
    }
    t.slot = window.place(t);
    s.inflight++;
    w.assigned++;
    t.stage = POSTED;
    t.worker = w;
    const known = w.known[t.target] === true;
    if (!known) w.known[t.target] = true;
    w.batch.add(t, known ? undefined : s.targets.spec(t.target));
    if (t.timeout > 0) s.deadlines.within(t.timeout);
  }

  /** A task of a batch could not be sent (its arguments cannot be cloned): it fails with that error. */
  readonly #unsendable = (w: WorkerState, slot: number, err: unknown): void => {
    const t = w.window.tasks[slot]!;
    this.#free(w, slot);
    this.#s.finish(t, false, err);
  };

  #free(w: WorkerState, slot: number): void {
    w.window.free(slot);
    this.#s.inflight--;
  }

  /** Settles a task from the status and value a worker sent for it. */
  #settleResult(t: Task, status: number, value: unknown): void {
    const s = this.#s;
    if (status === STATUS_OK) s.finish(t, true, value);
    else if (status === STATUS_OK_ENCODED) {
      let decoded: unknown;
      try {
        decoded = marshal.decode(value, RESULT_PATH);
      } catch (err) {
        s.finish(t, false, err);
        return;
      }
      s.finish(t, true, decoded);
    } else {
      // A task asked to stop that then threw its signal's reason (or an error of its kind, as a rejected
      // fetch or timer does) fails with the reason it was asked to stop for: the abort reason, a
      // TaskTimeoutError, a CancelledError. One that threw an error of its own keeps it: it ignored the
      // request and failed by itself (as a running task does in Python after shutdown(cancel_futures=True)).
      const err = errorFromWire(value);
      s.finish(t, false, t.stopReason !== undefined && isStopError(err) ? t.stopReason : err);
    }
  }

  message(w: WorkerState, msg: unknown[]): void {
    const kind = messageKind(msg);
    const s = this.#s;
    // A worker out of service still delivers the results of tasks it had started, until it exits.
    if (kind === MSG_RESULTS) this.#results(w, msg);
    else if (kind === MSG_DECLINED) s.crashes.declined(w, declinedSlots(msg));
    else if (!w.alive) return;
    else if (kind === MSG_READY) {
      w.ready = true;
      s.respawn.ready();
    } else if (kind === MSG_INIT_FAILED) {
      const cause = errorFromWire(initFailure(msg));
      s.shutdown.breakExecutor(
        new BrokenExecutorError(
          `a worker initializer failed (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}); ` +
            "the executor cannot run tasks. Fix the initializer and create a new executor",
          { cause },
        ),
      );
    }
  }

  exit(w: WorkerState, code: number | null, signal: string | null): void {
    this.#s.crashes.exited(w, code, signal);
  }

  #results(w: WorkerState, msg: unknown[]): void {
    const s = this.#s;
    const tasks = w.window.tasks;
    // Free the slots and refill the worker's window first, so it never waits on our bookkeeping; settle the
    // futures (which runs user callbacks) after.
    if (isLoneResult(msg)) {
      // One result (the common case): no list of tasks to settle.
      const slot = firstResultSlot(msg);
      const status = resultStatus(msg, 0);
      const t = tasks[slot];
      let live: Task | null = null;
      if (t !== null && t !== undefined) {
        this.#free(w, slot);
        if (status !== STATUS_SKIPPED && t.postedTo(w)) live = t;
      }
      if (s.queued > 0) this.dispatch();
      if (live !== null) this.#settleResult(live, status, resultValue(msg, 0));
    } else {
      const settling = this.#settling;
      const n = countResults(msg);
      for (let k = 0, slot = firstResultSlot(msg); k < n; k++, slot = nextSlot(slot, tasks.length)) {
        const t = tasks[slot];
        if (t === null || t === undefined) {
          settling.push(null);
          continue;
        }
        this.#free(w, slot);
        settling.push(resultStatus(msg, k) === STATUS_SKIPPED || !t.postedTo(w) ? null : t);
      }
      if (s.queued > 0) this.dispatch();
      for (let k = 0; k < n; k++) {
        const t = settling[k];
        if (t !== null && t !== undefined) this.#settleResult(t, resultStatus(msg, k), resultValue(msg, k));
      }
      settling.length = 0;
    }
    if (!w.alive) {
      if (w.stopHow !== null) s.shutdown.stopWhenFlushed(w);
      if (s.isShutdown) s.shutdown.checkDrained();
      return;
    }
    const window = w.window;
    // (Nothing to take back when no other worker holds a posted task: the common sequential case.)
    if (window.count === 0 && s.queued === 0 && s.inflight > 1 && window.states !== null) {
      s.balancer.rebalance(w);
    }
    if (window.count === 0) s.growth.becameIdle(w);
    else if (window.length > 0 && window.states === null) {
      // Without shared memory the task at the head starts when the one before it ends, as far as we know.
      const head = tasks[window.head];
      if (head != null && head.timeout > 0 && head.startedAt === 0) head.startedAt = clock();
    }
    if (s.queued > 0) this.schedule();
    else if (s.isShutdown) s.shutdown.checkDrained();
  }
}
