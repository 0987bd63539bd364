import { performance } from "node:perf_hooks";
import { LongTimer } from "@weft/sync/extension";
import type { CoreState } from "./core-state.js";
import { describeTarget, isLeaf, marshal, type Target, type TargetSpec } from "./interop.js";
import { slotBytes, startsOffset } from "./message-codec.js";
import type { WorkerInit } from "./transport.js";
import { WorkerState } from "./worker-state.js";

/**
 * How many workers an executor has: it starts them as the queue needs (up to maxWorkers, and minWorkers at
 * all times unless backing off after deaths before ready), retires those idle longer than idleTimeout above
 * minWorkers, and replaces those that used up maxTasksPerWorker.
 */
export class Growth {
  readonly #s: CoreState;
  #nextWorkerId = 1;
  readonly #initializer: TargetSpec | null;
  readonly #initArgs: unknown[];
  readonly #initEncoded: boolean;
  #idleTimer: LongTimer | undefined;
  readonly #reapIdleBound = (): void => this.#reapIdle();

  constructor(state: CoreState) {
    this.#s = state;
    const { initializer, initArgs } = state.settings;
    if (initializer === undefined || initializer === null) {
      this.#initializer = null;
      this.#initArgs = [];
      this.#initEncoded = false;
    } else {
      this.#initializer = describeTarget(initializer as Target);
      // Checked once, here, for the boundary the transport crosses (a MarshalError names initArgs[i]...).
      this.#initEncoded = !initArgs.every(isLeaf);
      this.#initArgs = this.#initEncoded
        ? (marshal.encode(initArgs, { path: "initArgs", crossProcess: state.crossProcess }) as unknown[])
        : initArgs;
    }
  }

  /** Starts minWorkers workers (at construction). */
  start(): void {
    for (let i = 0; i < this.#s.settings.minWorkers; i++) this.spawn();
  }

  /**
   * Starts the first worker ahead of the first task (see ExecutorCore's #indexOf), unless workers are held back
   * after deaths or none may run.
   */
  startFirst(): void {
    const s = this.#s;
    if (s.respawn.holding || s.workers.length >= s.settings.maxWorkers) return;
    this.spawn();
  }

  /** Before a dispatch: starts a worker for each queued task beyond the `idle` workers, up to maxWorkers. */
  grow(idle: number): void {
    const s = this.#s;
    if (s.respawn.holding) return;
    let count = Math.min(s.settings.maxWorkers - s.workers.length, s.queued - idle);
    while (count-- > 0) this.spawn();
  }

  spawn(): WorkerState {
    const s = this.#s;
    const id = this.#nextWorkerId++;
    const window = s.settings.window;
    const transport = s.transport;
    const sab = !transport.sharedMemory
      ? null
      : transport.allocateSlots !== undefined
        ? transport.allocateSlots(slotBytes(window))
        : new SharedArrayBuffer(slotBytes(window));
    const w = new WorkerState(
      s.scheduler,
      id,
      sab === null ? null : new Int32Array(sab, 0, window),
      sab === null ? null : new Float64Array(sab, startsOffset(window), window),
      window,
    );
    const init: WorkerInit = {
      id,
      slots: sab,
      window,
      initializer: this.#initializer,
      initArgs: this.#initArgs,
      initEncoded: this.#initEncoded,
    };
    w.channel = transport.spawn(init, w);
    w.unref();
    s.workers.push(w);
    s.alive++;
    return w;
  }

  /** Starts workers up to minWorkers (unless backing off, shut down or broken). */
  refill(): void {
    const s = this.#s;
    if (s.isShutdown || s.broken !== undefined || s.respawn.holding) return;
    while (s.workers.length < s.settings.minWorkers) this.spawn();
  }

  /** A respawn back-off ended: start the workers that are needed now. */
  afterBackoff(): void {
    this.refill();
    this.#s.scheduler.schedule();
  }

  /** A worker's window emptied. */
  becameIdle(w: WorkerState): void {
    const s = this.#s;
    w.unref();
    if (w.assigned >= s.settings.maxTasksPerWorker) {
      // Used up: replace it (the next dispatch starts a fresh worker if work waits).
      s.crashes.stop(w);
      s.scheduler.schedule();
      this.refill();
      return;
    }
    if (s.isShutdown) {
      s.shutdown.checkDrained();
      return;
    }
    const { idleTimeout, minWorkers } = s.settings;
    if (idleTimeout === Number.POSITIVE_INFINITY || s.workers.length <= minWorkers) return;
    w.idleSince = performance.now();
    if (this.#idleTimer === undefined)
      this.#idleTimer = new LongTimer(this.#reapIdleBound, idleTimeout).unref();
  }

  /** Stops retiring idle workers (the executor is stopping its workers). */
  clear(): void {
    this.#idleTimer?.clear();
  }

  #reapIdle(): void {
    this.#idleTimer = undefined;
    const s = this.#s;
    const { idleTimeout, minWorkers } = s.settings;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const w of [...s.workers]) {
      if (w.window.count !== 0 || s.workers.length <= minWorkers) continue;
      const due = w.idleSince + idleTimeout;
      if (due <= now + 1) s.crashes.stop(w);
      else if (due < next) next = due;
    }
    if (next !== Number.POSITIVE_INFINITY && !s.isShutdown) {
      this.#idleTimer = new LongTimer(this.#reapIdleBound, next - now).unref();
    }
  }
}
