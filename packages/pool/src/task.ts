import { Future, type TaskControl } from "./future.js";
import { anchorShape } from "./shape-anchors.js";
import type { TransferItem } from "./transfer.js";
import type { WorkerState } from "./worker-state.js";

/** Where a task is in its life: waiting in the queue, posted to a worker, or settled. */
export const QUEUED = 0;
export const POSTED = 1;
export const FINISHED = 2;

/**
 * What a task's future asks of the executor (cancel(), running(), and its AbortSignal firing): the
 * cancellation unit answers (see cancellation.ts). Internal: no other package calls it.
 */
export interface TaskHandlers {
  withdraw(task: Task): boolean;
  isRunning(task: Task): boolean;
  abort(task: Task): void;
  /** Someone waits for the task's future (first time). */
  awaited(task: Task): void;
}

/** One submitted call: its future, what travels to the worker, and where it is. */
export class Task implements TaskControl {
  stage = QUEUED;
  /** The worker it is posted to (with `stage` POSTED), else null. */
  worker: WorkerState | null = null;
  /** Its slot in that worker's window, else -1. */
  slot = -1;
  /** clock() ms when it started, as far as the core knows; 0 when it has not (or the core cannot tell). */
  startedAt = 0;
  /**
   * Why it was asked to stop while running (its future fails with it if it then throws, or is stopped), else
   * undefined: the first request that may stop its worker, else the first request (see Cancellation.stopRunning).
   */
  stopReason: unknown = undefined;
  /** clock() ms after which its worker is stopped if it has not ended; 0 when not asked or never. */
  stopAt = 0;
  /** What the worker's stop is put down to, if it comes to that. */
  stopWhy = "";
  /** In the queue again after its worker left before it started (see CoreState.requeued). */
  requeued = false;
  /** Someone waits for its future: its worker keeps the process alive even after a detaching shutdown. */
  awaited = false;
  constructor(
    readonly handlers: TaskHandlers,
    readonly future: Future<unknown>,
    readonly target: number,
    /** taskCode(target, flags), as sent. */
    readonly code: number,
    readonly args: unknown,
    readonly context: unknown,
    readonly transfer: TransferItem[] | undefined,
    readonly signal: AbortSignal | undefined,
    /** ms it may run (0: no limit). */
    readonly timeout: number,
  ) {}

  /** True while it is posted to `w` (its slot there is its own, not a stale one). */
  postedTo(w: WorkerState): boolean {
    return this.worker === w && this.stage === POSTED;
  }

  cancel(): boolean {
    return this.handlers.withdraw(this);
  }
  running(): boolean {
    return this.handlers.isRunning(this);
  }
  observed(): void {
    if (this.awaited) return;
    this.awaited = true;
    this.handlers.awaited(this);
  }
  /** Called on abort (listenAbort: one listener per signal, shared by its tasks; no closure per task). */
  handleEvent(): void {
    this.handlers.abort(this);
  }
}

// Its hidden class must outlive idle periods (see shape-anchors.ts). The writes give the anchor the field
// representations a working task reaches (a fractional start time, a slot, a stage), so later tasks'
// writes do not replace the map.
{
  const noHandlers = null as unknown as TaskHandlers;
  const anchor = anchorShape(
    new Task(noHandlers, new Future(), 0, 0, 0, undefined, undefined, undefined, 0.5),
  );
  anchor.startedAt = 0.5;
  anchor.stopAt = 0.5;
  anchor.slot = 0;
  anchor.stage = FINISHED;
  anchor.awaited = true;
}
