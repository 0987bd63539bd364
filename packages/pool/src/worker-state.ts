import type { LongTimer } from "@weft/sync/extension";
import { TaskBatch } from "./batching.js";
import { anchorShape } from "./shape-anchors.js";
import { SlotWindow } from "./slot-window.js";
import type { Task } from "./task.js";
import type { WorkerChannel, WorkerSink } from "./transport.js";

/** Where a worker's transport events go (the executor's scheduler). Internal: no other package calls it. */
export interface WorkerEvents {
  message(worker: WorkerState, data: unknown[]): void;
  exit(worker: WorkerState, code: number | null, signal: string | null): void;
}

/** The executor's record of one worker: its channel, its in-flight window, and where it is in its life. */
export class WorkerState implements WorkerSink {
  channel!: WorkerChannel;
  readonly window: SlotWindow;
  readonly batch = new TaskBatch();
  /** In service: it is given tasks (false once retired, even before it has exited). */
  alive = true;
  /** Its initializer ran: it reported READY. */
  ready = false;
  /** Stopped on purpose (idle, shutdown, timeout, abort): its exit is not a crash. */
  stopping = false;
  /**
   * Once it is out of service (alive false): the error for each task still attached to it when it exits (a
   * started task whose result did not come). Until then its results are still taken.
   */
  stopError: ((t: Task) => unknown) | null = null;
  /** terminateWorkers()/killWorkers() waits for the results of its finished tasks before stopping it. */
  stopHow: "terminate" | "kill" | null = null;
  stopTimer: LongTimer | undefined;
  /** It keeps the process alive (it has tasks). */
  refd = true;
  idleSince = 0;
  /** Tasks ever assigned to this worker (for maxTasksPerWorker). */
  assigned = 0;
  lastError: unknown;
  /** known[target]: the worker has had that target's description. */
  readonly known: boolean[] = [];

  constructor(
    readonly events: WorkerEvents,
    readonly id: number,
    states: Int32Array | null,
    starts: Float64Array | null,
    windowSize: number,
  ) {
    this.window = new SlotWindow(windowSize, states, starts);
  }

  message(data: unknown): void {
    this.events.message(this, data as unknown[]);
  }
  error(err: unknown): void {
    this.lastError = err;
  }
  exit(code: number | null, signal: string | null): void {
    this.events.exit(this, code, signal);
  }

  /** Lets it keep the process alive. */
  ref(): void {
    if (!this.refd) {
      this.refd = true;
      this.channel.ref();
    }
  }

  /** Lets the process exit while it lives. */
  unref(): void {
    if (this.refd) {
      this.refd = false;
      this.channel.unref();
    }
  }
}

// Its hidden class (and its window's and batch's) must outlive the pools that use it (see shape-anchors.ts).
anchorShape(new WorkerState(null as unknown as WorkerEvents, 0, null, null, 1));
