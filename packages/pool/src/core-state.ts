import { Balancer } from "./balancer.js";
import { Cancellation } from "./cancellation.js";
import type { CoreSettings } from "./core.js";
import { CrashAccounting } from "./crash-accounting.js";
import { TaskDeadlines } from "./deadlines.js";
import { settleFuture } from "./future.js";
import { Growth } from "./growth.js";
import { unlistenAbort } from "./interop.js";
import { RespawnPolicy } from "./respawn-policy.js";
import { RoomWaiters } from "./room-waiters.js";
import { Scheduler } from "./scheduler.js";
import { Shutdown } from "./shutdown.js";
import { TargetTable } from "./targets.js";
import { FINISHED, QUEUED, type Task } from "./task.js";
import { TaskQueue } from "./task-queue.js";
import type { Transport } from "./transport.js";
import type { WorkerState } from "./worker-state.js";

/**
 * What the units of one executor core share: the settings, the task queue and its counts, the workers,
 * the executor's state flags, and the units themselves (each in the file its name says), which call one
 * another through it. Internal: only ExecutorCore creates one.
 */
export class CoreState {
  readonly transport: Transport;
  readonly settings: CoreSettings;
  /** Arguments and results cross a process boundary (the transport says so): check them for that at submit. */
  readonly crossProcess: boolean;
  readonly queue = new TaskQueue<Task>();
  /** Tasks in the queue still waiting (cancelled ones stay in the ring until dispatch passes them). */
  queued = 0;
  /**
   * Of those, tasks put back after their worker left before they started (requeueFirst). They were admitted
   * when submitted and do not count against maxQueue again: a death or a rebalance must not make a submit
   * that `ready()` just made room for throw QueueFullError.
   */
  requeued = 0;
  /** Tasks placed in a worker's window. */
  inflight = 0;
  /** Workers in service. */
  readonly workers: WorkerState[] = [];
  /** Workers started that have not exited (in service or not). */
  alive = 0;
  broken: Error | undefined;
  isShutdown = false;
  /** Every accepted task is done (or stopWorkers() was called): the workers are being stopped. */
  terminating = false;
  /**
   * After shutdown({ wait: false, cancelFutures: true }) or terminate/kill: workers keep the process alive only
   * while they run a task whose future is waited for (or until they exit, after terminate/kill).
   */
  detached = false;
  /** terminateWorkers()/killWorkers() was called. */
  stopped = false;
  readonly roomWaiters = new RoomWaiters();
  readonly targets = new TargetTable();
  readonly respawn: RespawnPolicy;
  readonly scheduler: Scheduler;
  readonly growth: Growth;
  readonly deadlines: TaskDeadlines;
  readonly cancellation: Cancellation;
  readonly crashes: CrashAccounting;
  readonly balancer: Balancer;
  readonly shutdown: Shutdown;

  constructor(transport: Transport, settings: CoreSettings) {
    this.transport = transport;
    this.settings = settings;
    this.crossProcess = transport.crossProcess === true;
    this.respawn = new RespawnPolicy(settings.respawn, () => this.growth.afterBackoff());
    this.scheduler = new Scheduler(this);
    this.growth = new Growth(this);
    this.deadlines = new TaskDeadlines(this);
    this.cancellation = new Cancellation(this);
    this.crashes = new CrashAccounting(this);
    this.balancer = new Balancer(this);
    this.shutdown = new Shutdown(this);
  }

  /** Settles a task's future (once it is out of the queue and its slot is dealt with). */
  finish(t: Task, ok: boolean, value: unknown): void {
    const w = t.worker;
    t.stage = FINISHED;
    t.worker = null;
    if (t.signal !== undefined) unlistenAbort(t.signal, t);
    settleFuture(t.future, ok, value);
    if (t.awaited && this.detached && w !== null) this.shutdown.holdForWaiters(w);
  }

  /** Puts a posted task that never started back at the front of the queue, detached from its worker. */
  requeueFirst(t: Task): void {
    t.stage = QUEUED;
    t.worker = null;
    t.slot = -1;
    t.startedAt = 0;
    this.queue.unshift(t);
    this.queued++;
    if (!t.requeued) {
      t.requeued = true;
      this.requeued++;
    }
  }

  /** A task left the queue (dispatched, withdrawn, failed): the counts follow. */
  leftQueue(t: Task): void {
    this.queued--;
    if (t.requeued) {
      t.requeued = false;
      this.requeued--;
    }
  }

  /** Queued tasks that count against maxQueue (those waiting since they were submitted). */
  get admitted(): number {
    return this.queued - this.requeued;
  }

  /** Wakes as many callers waiting for room as there is room. */
  wakeRoom(): void {
    this.roomWaiters.wake(this.settings.maxQueue - this.admitted);
  }
}
