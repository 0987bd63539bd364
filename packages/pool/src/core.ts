import { performance } from "node:perf_hooks";
import { checkTimeout, LongTimer } from "@weft/sync/extension";
import { DeadlineTimer } from "./deadlines.js";
import {
  BrokenExecutorError,
  BrokenWorkerError,
  PoolOptionError,
  QueueFullError,
  ShutdownError,
  TaskTimeoutError,
  WorkerTerminatedError,
} from "./errors.js";
import { bindTaskControl, Future, settleFuture, type TaskControl } from "./future.js";
import {
  describeTarget,
  deserializeError,
  isTransportedError,
  listenAbort,
  marshal,
  snapshot,
  type Target,
  type TargetSpec,
  unlistenAbort,
} from "./interop.js";
import { isLeaf } from "./leaf.js";
import { resolveExecutorOptions } from "./options.js";
import {
  CODE_SCALE,
  DEFINE,
  FLAG_BARE,
  FLAG_CONTEXT,
  FLAG_ENCODED,
  FLAG_NOARGS,
  FLAG_STOPPABLE,
  MSG_INIT_FAILED,
  MSG_READY,
  MSG_RESULTS,
  SLOT_DONE,
  SLOT_PENDING,
  SLOT_RUNNING,
  SLOT_WITHDRAWN,
  STATUS_OK,
  STATUS_OK_ENCODED,
  STATUS_SKIPPED,
  slotBytes,
  startsOffset,
} from "./protocol.js";
import { RespawnPolicy, type RespawnSettings } from "./respawn-policy.js";
import { RoomWaiters } from "./room-waiters.js";
import { anchorShape } from "./shape-anchors.js";
import { TaskQueue } from "./task-queue.js";
import type { TransferItem } from "./transfer.js";
import { isTransfer, unwrapTransfer } from "./transfer.js";
import type { Transport, WorkerChannel, WorkerInit, WorkerSink } from "./transport.js";

/**
 * A task's or an initializer's error as it came off the wire: serializeError() data from serveTasks, or a value
 * a transport posted as it is (structured clone already rebuilt it).
 */
function errorFromWire(data: unknown): unknown {
  return isTransportedError(data) ? deserializeError(data) : data;
}

/** Where a task is. */
const QUEUED = 0;
const POSTED = 1;
const FINISHED = 2;

/** Milliseconds since the epoch with sub-ms precision, comparable across threads. */
function clock(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * ms a worker stopped by terminateWorkers()/killWorkers() gets to send the results of tasks it has finished
 * (its slots say DONE) before it is stopped anyway: a worker between tasks sends them at once; one that
 * runs a task that does not end cannot (see README, "Faults").
 */
const FLUSH_GRACE_MS = 250;

/**
 * Settings of an {@link ExecutorCore} (extension API), all validated and defaulted by the caller's
 * options parsing (see `resolveExecutorOptions`).
 */
export interface CoreSettings {
  maxWorkers: number;
  minWorkers: number;
  /** ms an idle worker above minWorkers lives; Infinity keeps it. */
  idleTimeout: number;
  /** Most tasks waiting for a worker; Infinity for no bound. */
  maxQueue: number;
  /** ms a task may run before its worker is stopped; 0 (or Infinity) for no limit. */
  taskTimeout: number;
  /** Tasks posted ahead to one worker (the in-flight window). */
  window: number;
  /** Tasks a worker is given before it is replaced; Infinity for no limit. */
  maxTasksPerWorker: number;
  initializer: unknown;
  initArgs: unknown[];
  /** How workers that die before they are ready are replaced (see RespawnOptions). */
  respawn: RespawnSettings;
}

/**
 * Per-task options of `submitWith` (extension API: the same for every executor).
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const f = pool.submitWith({ signal: ac.signal, timeout: 5000 }, work, 42);
 * ac.abort(); // f fails with the abort reason; a running task's worker is stopped and replaced
 * ```
 */
export interface TaskOptions {
  /** Aborting withdraws the task, or stops its worker if it runs; the future fails with the reason. */
  signal?: AbortSignal;
  /**
   * ms this task may run before it fails with TaskTimeoutError and its worker is stopped (0 or Infinity:
   * none). With the executor's `taskTimeout` as well, the earlier deadline governs.
   */
  timeout?: number;
  /** ArrayBuffers (or ports) among the arguments to move instead of copy. */
  transfer?: readonly TransferItem[];
}

class Task implements TaskControl {
  where = QUEUED;
  worker: WorkerState | null = null;
  slot = -1;
  startedAt = 0;
  constructor(
    readonly core: ExecutorCore,
    readonly future: Future<unknown>,
    readonly target: number,
    /** target * CODE_SCALE + flags, as sent. */
    readonly code: number,
    readonly args: unknown,
    readonly ctx: unknown,
    readonly transfer: TransferItem[] | undefined,
    readonly signal: AbortSignal | undefined,
    readonly timeout: number,
  ) {}
  cancel(): boolean {
    return this.core._withdraw(this);
  }
  running(): boolean {
    return this.core._isRunning(this);
  }
  /** Called on abort (listenAbort: one listener per signal, shared by its tasks; no closure per task). */
  handleEvent(): void {
    this.core._abort(this);
  }
}

// Its hidden class must outlive idle periods (see shape-anchors.ts). The writes give the anchor the field
// representations a working task reaches (a fractional start time, a worker, an owner), so later tasks'
// writes do not replace the map.
{
  const anchor = anchorShape(
    new Task(null as unknown as ExecutorCore, new Future(), 0, 0, 0, undefined, undefined, undefined, 0.5),
  );
  anchor.startedAt = 0.5;
  anchor.slot = 0;
  anchor.where = FINISHED;
}

class WorkerState implements WorkerSink {
  channel!: WorkerChannel;
  readonly tasks: (Task | null)[];
  head = 0;
  tail = 0;
  /** Slots from head to tail, including freed holes not yet passed by head. */
  span = 0;
  /** Occupied slots. */
  count = 0;
  alive = true;
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
  refd = true;
  idleSince = 0;
  /** Tasks ever posted to this worker (for maxTasksPerWorker). */
  given = 0;
  lastError: unknown;
  readonly known: boolean[] = [];
  /** The message being built for this worker; replaced (not truncated: a runtime call) once posted. */
  batch: unknown[] = [];
  batchTransfer: TransferItem[] = [];
  constructor(
    readonly core: ExecutorCore,
    readonly id: number,
    readonly states: Int32Array | null,
    /** Start times written by the worker (clock() ms), with shared memory. */
    readonly starts: Float64Array | null,
    window: number,
  ) {
    this.tasks = new Array<Task | null>(window).fill(null);
  }
  message(data: unknown): void {
    this.core._onMessage(this, data as unknown[]);
  }
  error(err: unknown): void {
    this.lastError = err;
  }
  exit(code: number | null, signal: string | null): void {
    this.core._onExit(this, code, signal);
  }
}

/**
 * The scheduling and bookkeeping of an executor, independent of what a worker is (extension API):
 * a FIFO task queue bounded by maxQueue, a per-worker in-flight window of posted tasks (so a worker never
 * waits for a round trip between tasks), batched messages, growth up to maxWorkers and idle retirement,
 * per-task timeouts and AbortSignals, cancellation of tasks that have not started, crash accounting (only
 * the tasks that had started on a dead worker fail; the others are retried) and shutdown. ThreadPoolExecutor
 * runs it over worker_threads; @weft/process-pool over child processes.
 *
 * @example
 * ```ts
 * const core = new ExecutorCore(new MyTransport(), resolveExecutorOptions({ maxWorkers: 4 }));
 * const future = core.submit({ module: "./task.js", export: "work" }, [1, 2]);
 * await core.shutdown(true, false);
 * ```
 */
export class ExecutorCore {
  readonly #transport: Transport;
  readonly #settings: CoreSettings;
  readonly #queue = new TaskQueue<Task>();
  #queued = 0;
  #inflight = 0;
  readonly #workers: WorkerState[] = [];
  #nextWorkerId = 1;
  #scheduled = false;
  #dispatching = false;
  readonly #dispatchBound = (): void => this.#dispatch();
  readonly #scratch: (Task | null)[] = [];
  readonly #specs: TargetSpec[] = [];
  readonly #specIndex = new Map<string, number>();
  readonly #targetCache = new WeakMap<object, number>();
  #lastTarget: unknown;
  #lastTargetIndex = -1;
  readonly #initializer: TargetSpec | null;
  readonly #initArgs: unknown[];
  readonly #initEncoded: boolean;
  readonly #respawn: RespawnPolicy;
  #broken: Error | undefined;
  #shutdown = false;
  #terminating = false;
  /** After shutdown({ wait: false, cancelFutures: true }) or terminate/kill: workers never keep the process alive. */
  #detached = false;
  /** terminateWorkers()/killWorkers() was called. */
  #stopped = false;
  #alive = 0;
  /** Holders that will still submit after shutdown() (see hold()). */
  #holds = 0;
  #done: Promise<void> | undefined;
  #resolveDone: (() => void) | undefined;
  readonly #roomWaiters = new RoomWaiters();
  readonly #sweepTimer = new DeadlineTimer(() => this.#sweep());
  #idleTimer: LongTimer | undefined;

  constructor(transport: Transport, settings: CoreSettings) {
    this.#transport = transport;
    this.#settings = settings;
    this.#respawn = new RespawnPolicy(settings.respawn, () => this.#afterBackoff());
    if (settings.initializer === undefined || settings.initializer === null) {
      this.#initializer = null;
      this.#initArgs = [];
      this.#initEncoded = false;
    } else {
      this.#initializer = describeTarget(settings.initializer as Target);
      this.#initEncoded = !settings.initArgs.every(isLeaf);
      this.#initArgs = this.#initEncoded
        ? (marshal.encode(settings.initArgs, { path: "initArgs" }) as unknown[])
        : settings.initArgs;
    }
    for (let i = 0; i < settings.minWorkers; i++) this.#spawn();
  }

  /** Live workers, tasks waiting for one, and tasks posted to workers. */
  get stats(): { workers: number; queued: number; inflight: number } {
    return { workers: this.#workers.length, queued: this.#queued, inflight: this.#inflight };
  }

  /** True once shutdown() was called. */
  get isShutdown(): boolean {
    return this.#shutdown;
  }

  /** Throws ShutdownError / BrokenExecutorError if no more tasks are accepted. */
  checkOpen(): void {
    if (this.#broken !== undefined) throw this.#broken;
    if (this.#shutdown) throw new ShutdownError();
  }

  /** True when the queue holds maxQueue tasks. */
  get full(): boolean {
    return this.#queued >= this.#settings.maxQueue;
  }

  /**
   * Keeps a shut-down executor's workers until {@link ExecutorCore.release}: for a map that existed before
   * shutdown() and still submits its remaining items (with enqueue) after it.
   */
  hold(): void {
    this.#holds++;
  }

  /** Ends a {@link ExecutorCore.hold}. */
  release(): void {
    this.#holds--;
    this.#checkDrained();
  }

  /** Resolves once the queue has room (at once if it has); rejects on shutdown. */
  waitForRoom(): Promise<void> {
    try {
      this.checkOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.full) return Promise.resolve();
    return this.#roomWaiters.wait();
  }

  /** The index of a target (function or module target), describing it on first use. */
  targetIndex(target: unknown): number {
    if (target === this.#lastTarget) return this.#lastTargetIndex;
    const cacheable = (typeof target === "object" && target !== null) || typeof target === "function";
    let index = cacheable ? this.#targetCache.get(target as object) : undefined;
    if (index === undefined) {
      const spec = describeTarget(target as Target);
      const key =
        spec.kind === "module" ? `m:${spec.exportName}:${spec.url}` : `s:${spec.name}:${spec.source}`;
      index = this.#specIndex.get(key);
      if (index === undefined) {
        index = this.#specs.length;
        this.#specs.push(spec);
        this.#specIndex.set(key, index);
      }
      if (cacheable) this.#targetCache.set(target as object, index);
    }
    this.#lastTarget = target;
    this.#lastTargetIndex = index;
    return index;
  }

  /**
   * Queues one call of `target(...args)` and returns its future. Throws ShutdownError, BrokenExecutorError,
   * QueueFullError, a describeTarget error, or a MarshalError naming the argument that cannot cross.
   */
  submit(target: unknown, args: unknown[], options?: TaskOptions): Future<unknown> {
    this.checkOpen();
    if (this.#queued >= this.#settings.maxQueue) throw new QueueFullError(this.#settings.maxQueue);
    return this.enqueue(this.targetIndex(target), args, 0, options);
  }

  /**
   * Queues a task by target index with raw flags (used by map for chunks); no open/full checks.
   * `args` is the argument list (or, with FLAG_CHUNK, the list of single arguments).
   */
  enqueue(target: number, args: unknown[], flags: number, options?: TaskOptions): Future<unknown> {
    let transferList: TransferItem[] | undefined;
    let payload: unknown = args;
    let simple = true;
    for (let i = 0; i < args.length; i++) {
      let a = args[i];
      if (a !== null && (typeof a === "object" || typeof a === "function")) {
        if (isTransfer(a)) {
          transferList ??= [];
          a = unwrapTransfer(a, transferList);
          args[i] = a;
        }
        if (simple && !isLeaf(a)) simple = false;
      } else if (typeof a === "symbol") simple = false; // the walk refuses it, naming its path
    }
    if (!simple) {
      payload = marshal.encode(args, { path: "args" });
      flags |= FLAG_ENCODED;
    } else if (flags === 0) {
      if (args.length === 1) {
        payload = args[0];
        flags = FLAG_BARE;
      } else if (args.length === 0) {
        payload = 0;
        flags = FLAG_NOARGS;
      }
    }
    const ctx = snapshot();
    if (ctx !== undefined) flags |= FLAG_CONTEXT;
    let signal: AbortSignal | undefined;
    let timeout = this.#settings.taskTimeout;
    if (options !== undefined) {
      const extra = options.transfer;
      if (extra !== undefined && !Array.isArray(extra)) {
        throw new PoolOptionError("transfer must be an array of ArrayBuffers or MessagePorts");
      }
      if (extra !== undefined && extra.length > 0) {
        // The caller's list is used as is when no argument was marked with transfer() (no copy per task;
        // it is never written to: only lists built here are pushed onto).
        if (transferList === undefined) transferList = extra as TransferItem[];
        else for (let i = 0; i < extra.length; i++) transferList.push(extra[i]!);
      }
      signal = options.signal;
      if (options.timeout !== undefined) {
        const own = checkTimeout("submitWith: timeout", options.timeout);
        // 0 and Infinity mean no limit of its own; with the executor's taskTimeout, the earlier one governs.
        if (own !== 0 && own !== Number.POSITIVE_INFINITY && (timeout === 0 || own < timeout)) timeout = own;
      }
    }
    if (timeout !== 0 || signal !== undefined) flags |= FLAG_STOPPABLE;
    const future = new Future<unknown>();
    const task = new Task(
      this,
      future,
      target,
      target * CODE_SCALE + flags,
      payload,
      ctx,
      transferList,
      signal,
      timeout,
    );
    bindTaskControl(future, task);
    if (signal !== undefined) {
      if (signal.aborted) {
        task.where = FINISHED;
        settleFuture(future, false, signal.reason);
        return future;
      }
      listenAbort(signal, task);
    }
    this.#queue.push(task);
    // A lone task and an idle worker: post it now (lowest latency). Otherwise dispatch once at the end of
    // this tick, so tasks submitted together travel together.
    if (++this.#queued === 1 && !this.#dispatching && this.#anyIdle()) this.#dispatch();
    this.#schedule();
    return future;
  }

  /** Dispatches at the end of this tick if tasks wait (once, however often it is asked). */
  #schedule(): void {
    if (this.#queued > 0 && !this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#dispatchBound);
    }
  }

  #anyIdle(): boolean {
    const workers = this.#workers;
    for (let i = 0; i < workers.length; i++) if (workers[i]!.count === 0) return true;
    return workers.length < this.#settings.maxWorkers;
  }

  /**
   * Stops accepting tasks. With `cancelFutures`, cancels every task that has not started. The returned
   * promise settles once every accepted task is done and every worker has exited.
   */
  shutdown(wait: boolean, cancelFutures: boolean): Promise<void> {
    this.#beginShutdown();
    if (cancelFutures) {
      this.#cancelAll();
      // The caller wants no more of this pool's work: tasks still running no longer keep the process alive
      // (they run on if it stays alive for other reasons, and die with it otherwise).
      if (!wait) this.#detach();
    }
    this.#checkDrained();
    return wait ? this.#done! : Promise.resolve();
  }

  /**
   * Python 3.14's terminate_workers() / kill_workers(): shuts down, cancels every task that has not
   * started, and stops every worker now (`kill`: SIGKILL for child processes, else SIGTERM; worker threads
   * are terminated either way). Running tasks fail with WorkerTerminatedError; results of tasks that had
   * finished are still delivered. Resolves once every worker has exited.
   */
  stopWorkers(how: "terminate" | "kill"): Promise<void> {
    this.#stopped = true;
    this.#beginShutdown();
    this.#cancelAll();
    this.#detached = true;
    const error = new WorkerTerminatedError(how === "kill" ? "killWorkers" : "terminateWorkers");
    for (const w of [...this.#workers]) {
      w.stopping = true;
      // Until it has exited (soon), so that awaiting this call keeps the process alive.
      if (!w.refd) {
        w.refd = true;
        w.channel.ref();
      }
      this.#retire(w, true);
      w.stopError = () => error;
      w.stopHow = how;
      this.#stopWhenFlushed(w);
    }
    this.#checkDrained();
    return this.#done!;
  }

  #beginShutdown(): void {
    if (this.#shutdown) return;
    this.#shutdown = true;
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
    this.#respawn.clear();
    this.#roomWaiters.rejectAll(new ShutdownError());
  }

  #detach(): void {
    this.#detached = true;
    for (const w of this.#workers) {
      if (w.refd) {
        w.refd = false;
        w.channel.unref();
      }
    }
  }

  /**
   * Stops a worker taken out of service by terminateWorkers()/killWorkers() once it holds no finished
   * result that has not arrived (slots that say DONE), or after FLUSH_GRACE_MS.
   */
  #stopWhenFlushed(w: WorkerState): void {
    const how = w.stopHow;
    if (how === null) return;
    let held = false;
    const states = w.states;
    if (states !== null) {
      for (let k = 0, s = w.head; k < w.span && !held; k++, s = s + 1 === w.tasks.length ? 0 : s + 1) {
        const t = w.tasks[s];
        if (t != null && t.worker === w && t.where === POSTED && Atomics.load(states, s) === SLOT_DONE)
          held = true;
      }
    }
    if (held && w.stopTimer === undefined) {
      w.stopTimer = new LongTimer(() => {
        w.stopHow = null;
        w.channel.terminate(how);
      }, FLUSH_GRACE_MS);
      return;
    }
    if (held) return;
    w.stopHow = null;
    w.stopTimer?.clear();
    w.channel.terminate(how);
  }

  #cancelAll(): void {
    for (const t of this.#queue.drain()) {
      if (t.where === QUEUED) t.future.cancel();
    }
    for (const w of this.#workers) {
      for (let i = 0, s = w.head; i < w.span; i++, s = (s + 1) % w.tasks.length) {
        const t = w.tasks[s];
        if (t !== null && t !== undefined && t.worker === w && t.where === POSTED) t.future.cancel();
      }
    }
  }

  // ---- dispatch -------------------------------------------------------------------------------------

  #dispatch(): void {
    this.#scheduled = false;
    if (this.#queued === 0 || this.#terminating || this.#dispatching) return;
    this.#dispatching = true;
    try {
      this.#fill();
    } finally {
      this.#dispatching = false;
    }
    if (this.#roomWaiters.size > 0) this.#wakeRoom();
  }

  #fill(): void {
    const workers = this.#workers;
    let idle = 0;
    for (let i = 0; i < workers.length; i++) if (workers[i]!.count === 0) idle++;
    let grow = Math.min(this.#settings.maxWorkers - workers.length, this.#queued - idle);
    if (this.#respawn.holding) grow = 0;
    while (grow-- > 0) this.#spawn();
    const n = workers.length;
    if (n === 0) return;
    const { window, maxTasksPerWorker } = this.#settings;
    let share = Math.ceil((this.#queued + this.#inflight) / n);
    if (share > window) share = window;
    const queue = this.#queue;
    for (let i = 0; i < n && this.#queued > 0; i++) {
      const w = workers[i]!;
      let room = share - w.span;
      if (maxTasksPerWorker - w.given < room) room = maxTasksPerWorker - w.given;
      if (room <= 0) continue;
      while (room > 0) {
        const t = queue.shift();
        if (t === undefined) break;
        if (t.where !== QUEUED) continue;
        this.#queued--;
        this.#assign(w, t);
        room--;
      }
      if (w.batch.length > 0) this.#post(w);
    }
  }

  #assign(w: WorkerState, t: Task): void {
    const slot = w.tail;
    w.tail = slot + 1 === w.tasks.length ? 0 : slot + 1;
    w.span++;
    w.tasks[slot] = t;
    if (w.count++ === 0) {
      if (!w.refd && !this.#detached) {
        w.refd = true;
        w.channel.ref();
      }
      if (t.timeout > 0 && w.states === null && w.ready) t.startedAt = clock();
    }
    this.#inflight++;
    w.given++;
    t.where = POSTED;
    t.worker = w;
    t.slot = slot;
    if (w.states !== null) Atomics.store(w.states, slot, SLOT_PENDING);
    const batch = w.batch;
    if (batch.length === 0 && w.known[t.target] === true && (t.code & FLAG_CONTEXT) === 0) {
      // The common message, one task: built at its final size (growing an empty list costs a runtime call).
      w.batch = [slot, t.code, t.args];
    } else {
      if (batch.length === 0) batch.push(slot);
      if (w.known[t.target] !== true) {
        w.known[t.target] = true;
        batch.push(DEFINE, t.target, this.#specs[t.target]);
      }
      if ((t.code & FLAG_CONTEXT) === 0) batch.push(t.code, t.args);
      else batch.push(t.code, t.args, t.ctx);
    }
    const transfer = t.transfer;
    if (transfer !== undefined) for (let i = 0; i < transfer.length; i++) w.batchTransfer.push(transfer[i]!);
    if (t.timeout > 0) this.#sweepTimer.within(t.timeout);
  }

  #post(w: WorkerState): void {
    const batch = w.batch;
    try {
      w.channel.post(batch, w.batchTransfer.length === 0 ? undefined : w.batchTransfer);
    } catch {
      // Something in the batch cannot be sent: send tasks one by one so only the culprit fails.
      const window = w.tasks.length;
      let slot = batch[0] as number;
      const defines: unknown[] = [];
      for (let i = 1; i < batch.length; ) {
        if (batch[i] === DEFINE) {
          defines.push(batch[i], batch[i + 1], batch[i + 2]);
          i += 3;
          continue;
        }
        const len = ((batch[i] as number) & FLAG_CONTEXT) === 0 ? 2 : 3;
        const record = [slot, ...defines, ...batch.slice(i, i + len)];
        const t = w.tasks[slot]!;
        i += len;
        try {
          w.channel.post(record, t.transfer);
          defines.length = 0;
        } catch (err) {
          this.#free(w, slot);
          this.#finish(t, false, err);
        }
        slot = slot + 1 === window ? 0 : slot + 1;
      }
    }
    w.batch = [];
    if (w.batchTransfer.length !== 0) w.batchTransfer = [];
  }

  #free(w: WorkerState, slot: number): void {
    const tasks = w.tasks;
    tasks[slot] = null;
    w.count--;
    this.#inflight--;
    while (w.span > 0 && tasks[w.head] === null) {
      w.head = w.head + 1 === tasks.length ? 0 : w.head + 1;
      w.span--;
    }
  }

  #finish(t: Task, ok: boolean, value: unknown): void {
    t.where = FINISHED;
    t.worker = null;
    if (t.signal !== undefined) unlistenAbort(t.signal, t);
    settleFuture(t.future, ok, value);
  }

  /** Settles a task from the status and value a worker sent for it. */
  #settleResult(t: Task, status: number, wire: unknown): void {
    if (status === STATUS_OK) this.#finish(t, true, wire);
    else if (status === STATUS_OK_ENCODED) {
      let value: unknown;
      try {
        value = marshal.decode(wire);
      } catch (err) {
        this.#finish(t, false, err);
        return;
      }
      this.#finish(t, true, value);
    } else this.#finish(t, false, errorFromWire(wire));
  }

  _onMessage(w: WorkerState, msg: unknown[]): void {
    const kind = msg[0];
    // A worker out of service still delivers the results of tasks it had started, until it exits.
    if (!w.alive && kind !== MSG_RESULTS) return;
    if (kind === MSG_RESULTS) {
      // Free the slots and refill the worker's window first, so it never waits on our bookkeeping;
      // settle the futures (which runs user callbacks) after.
      if (msg.length === 4) {
        // One result (the common case): no scratch list.
        const slot = msg[1] as number;
        const t = w.tasks[slot];
        let live: Task | null = null;
        if (t !== null && t !== undefined) {
          this.#free(w, slot);
          if (msg[2] !== STATUS_SKIPPED && t.worker === w && t.where === POSTED) live = t;
        }
        if (this.#queued > 0) this.#dispatch();
        if (live !== null) this.#settleResult(live, msg[2] as number, msg[3]);
      } else {
        const done = this.#scratch;
        const window = w.tasks.length;
        let slot = msg[1] as number;
        for (let i = 2; i < msg.length; i += 2, slot = slot + 1 === window ? 0 : slot + 1) {
          const t = w.tasks[slot];
          if (t === null || t === undefined) {
            done.push(null);
            continue;
          }
          this.#free(w, slot);
          done.push(msg[i] === STATUS_SKIPPED || t.worker !== w || t.where !== POSTED ? null : t);
        }
        if (this.#queued > 0) this.#dispatch();
        for (let i = 2, k = 0; i < msg.length; i += 2, k++) {
          const t = done[k];
          if (t !== null && t !== undefined) this.#settleResult(t, msg[i] as number, msg[i + 1]);
        }
        done.length = 0;
      }
      if (!w.alive) {
        if (w.stopHow !== null) this.#stopWhenFlushed(w);
        if (this.#shutdown) this.#checkDrained();
        return;
      }
      // (Nothing to steal when no other worker holds a posted task: the common sequential case.)
      if (w.count === 0 && this.#queued === 0 && this.#inflight > 1 && w.states !== null) this.#steal(w);
      if (w.count === 0) this.#becameIdle(w);
      else if (w.span > 0) {
        const head = w.tasks[w.head];
        if (head != null && head.timeout > 0 && head.startedAt === 0 && w.states === null) {
          head.startedAt = clock();
        }
      }
      if (this.#queued > 0) this.#schedule();
      else if (this.#shutdown) this.#checkDrained();
    } else if (kind === MSG_READY) {
      w.ready = true;
      this.#respawn.ready();
    } else if (kind === MSG_INIT_FAILED) {
      const cause = errorFromWire(msg[1]);
      this.#breakExecutor(
        new BrokenExecutorError(
          `a worker initializer failed (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}); ` +
            "the executor cannot run tasks. Fix the initializer and create a new executor",
          { cause },
        ),
      );
    }
  }

  /**
   * Balancing: `thief` ran dry while another worker still holds posted tasks that have not started (tasks
   * of unequal length). Take back the later half of the busiest worker's unstarted tasks (PENDING ->
   * WITHDRAWN, so the victim skips them) and queue them again at the front; the dispatch that follows gives
   * them to the idle worker.
   */
  #steal(thief: WorkerState): void {
    if (this.#shutdown && this.#terminating) return;
    let victim: WorkerState | undefined;
    for (const w of this.#workers) {
      if (
        w !== thief &&
        w.states !== null &&
        w.count > 1 &&
        (victim === undefined || w.count > victim.count)
      ) {
        victim = w;
      }
    }
    if (victim === undefined) return;
    const states = victim.states!;
    const tasks = victim.tasks;
    const size = tasks.length;
    let want = victim.count >> 1;
    const taken: Task[] = [];
    for (let k = victim.span - 1; k >= 0 && want > 0; k--) {
      const s: number = (victim.head + k) % size;
      const t: Task | null | undefined = tasks[s];
      if (t == null || t.worker !== victim || t.where !== POSTED) continue;
      if (t.transfer !== undefined) break;
      if (Atomics.compareExchange(states, s, SLOT_PENDING, SLOT_WITHDRAWN) !== SLOT_PENDING) break;
      taken.push(t);
      want--;
    }
    if (taken.length === 0) return;
    // taken is newest first: unshifting in this order leaves the oldest at the front.
    for (const t of taken) this.#requeueFirst(t);
    this.#dispatch();
  }

  /** Puts a posted task that never started back at the front of the queue, detached from its worker. */
  #requeueFirst(t: Task): void {
    t.where = QUEUED;
    t.worker = null;
    t.slot = -1;
    t.startedAt = 0;
    this.#queue.unshift(t);
    this.#queued++;
  }

  #becameIdle(w: WorkerState): void {
    if (w.refd) {
      w.refd = false;
      w.channel.unref();
    }
    if (w.given >= this.#settings.maxTasksPerWorker) {
      // Used up: replace it (the next dispatch starts a fresh worker if work waits).
      this.#stopWorker(w);
      this.#schedule();
      this.#refill();
      return;
    }
    if (this.#shutdown) {
      this.#checkDrained();
      return;
    }
    const { idleTimeout, minWorkers } = this.#settings;
    if (idleTimeout === Number.POSITIVE_INFINITY || this.#workers.length <= minWorkers) return;
    w.idleSince = performance.now();
    if (this.#idleTimer === undefined)
      this.#idleTimer = new LongTimer(this.#reapIdleBound, idleTimeout).unref();
  }

  readonly #reapIdleBound = (): void => this.#reapIdle();

  #reapIdle(): void {
    this.#idleTimer = undefined;
    const { idleTimeout, minWorkers } = this.#settings;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const w of [...this.#workers]) {
      if (w.count !== 0 || this.#workers.length <= minWorkers) continue;
      const due = w.idleSince + idleTimeout;
      if (due <= now + 1) this.#stopWorker(w);
      else if (due < next) next = due;
    }
    if (next !== Number.POSITIVE_INFINITY && !this.#shutdown) {
      this.#idleTimer = new LongTimer(this.#reapIdleBound, next - now).unref();
    }
  }

  // ---- workers --------------------------------------------------------------------------------------

  #spawn(): WorkerState {
    const id = this.#nextWorkerId++;
    const window = this.#settings.window;
    const transport = this.#transport;
    const sab = !transport.sharedMemory
      ? null
      : transport.allocateSlots !== undefined
        ? transport.allocateSlots(slotBytes(window))
        : new SharedArrayBuffer(slotBytes(window));
    const w = new WorkerState(
      this,
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
    w.channel = this.#transport.spawn(init, w);
    w.refd = false;
    w.channel.unref();
    this.#workers.push(w);
    this.#alive++;
    return w;
  }

  /**
   * Removes a worker from service: tasks that had not started go back to the queue front (all of them when
   * the worker never got ready: none can have started). Started tasks fail with `startedError`, or, with
   * `keepStarted` (weft stops the worker itself), stay attached so their results still count until it
   * exits; {@link WorkerState.stopError} then fails what is left.
   */
  #retire(w: WorkerState, keepStarted: boolean, startedError?: (t: Task) => unknown): void {
    if (!w.alive) return;
    w.alive = false;
    if (w.stopTimer !== undefined) w.stopTimer.clear();
    const i = this.#workers.indexOf(w);
    if (i >= 0) this.#workers.splice(i, 1);
    const back: Task[] = [];
    const tasks = w.tasks;
    const neverReady = !w.ready;
    for (let k = 0, s = w.head; k < w.span; k++, s = s + 1 === tasks.length ? 0 : s + 1) {
      const t = tasks[s];
      if (t === null || t === undefined) continue;
      const mine = t.worker === w && t.where === POSTED;
      const notStarted =
        mine &&
        (w.states !== null
          ? Atomics.compareExchange(w.states, s, SLOT_PENDING, SLOT_WITHDRAWN) === SLOT_PENDING
          : neverReady && !keepStarted);
      // With keepStarted (weft stops the worker itself) a started task stays attached, and so does an unstarted
      // one whose buffers were transferred to this worker (it can run nowhere else): the worker skips it, and
      // stopError fails it when the worker has exited.
      if (mine && keepStarted && (!notStarted || t.transfer !== undefined)) continue;
      tasks[s] = null;
      w.count--;
      this.#inflight--;
      if (!mine) continue;
      if (notStarted && t.transfer === undefined) back.push(t);
      else this.#finish(t, false, startedError!(t));
    }
    while (w.span > 0 && tasks[w.head] === null) {
      w.head = w.head + 1 === tasks.length ? 0 : w.head + 1;
      w.span--;
    }
    for (let k = back.length - 1; k >= 0; k--) this.#requeueFirst(back[k]!);
    this.#schedule();
  }

  /**
   * The tasks still attached to a stopped worker that never got ready (possible without shared slots):
   * after terminateWorkers()/killWorkers() they are cancelled, else they go back to the queue front.
   */
  #releaseUnstarted(w: WorkerState): void {
    const tasks = w.tasks;
    const back: Task[] = [];
    for (let k = 0, s = w.head; k < w.span; k++, s = s + 1 === tasks.length ? 0 : s + 1) {
      const t = tasks[s];
      if (t === null || t === undefined) continue;
      tasks[s] = null;
      this.#inflight--;
      if (t.worker === w && t.where === POSTED) back.push(t);
    }
    w.count = w.span = 0;
    for (let k = back.length - 1; k >= 0; k--) {
      const t = back[k]!;
      this.#requeueFirst(t);
      // A queued task cancels like any other (its future then rejects with CancelledError).
      if (this.#stopped) t.future.cancel();
    }
    this.#schedule();
  }

  /** Fails the tasks still attached to a worker that is gone, and frees their slots. */
  #failAttached(w: WorkerState, error: (t: Task) => unknown): void {
    const tasks = w.tasks;
    for (let k = 0, s = w.head; k < w.span; k++, s = s + 1 === tasks.length ? 0 : s + 1) {
      const t = tasks[s];
      if (t === null || t === undefined) continue;
      tasks[s] = null;
      this.#inflight--;
      if (t.worker === w && t.where === POSTED) this.#finish(t, false, error(t));
    }
    w.count = w.span = 0;
  }

  /**
   * Stops a worker on purpose. Tasks that have not started go elsewhere; tasks it had finished still
   * deliver their results (a worker sends every result it holds before it starts a task that can be
   * stopped: FLAG_STOPPABLE); a task still attached when it exits was running and fails with `reason`.
   */
  #stopWorker(w: WorkerState, reason?: string): void {
    w.stopping = true;
    this.#retire(w, true);
    w.stopError = () =>
      this.#brokenWorker(null, null, new Error(reason ?? "the worker was stopped by the executor"));
    w.channel.terminate();
  }

  /** The error for the tasks of a dead worker: the transport's own kind when it has one. */
  #brokenWorker(code: number | null, signal: string | null, cause: unknown): BrokenWorkerError {
    const transport = this.#transport;
    return transport.brokenWorkerError !== undefined
      ? transport.brokenWorkerError(code, signal, cause)
      : new BrokenWorkerError(code, signal, cause);
  }

  _onExit(w: WorkerState, code: number | null, signal: string | null): void {
    this.#alive--;
    if (w.stopTimer !== undefined) w.stopTimer.clear();
    w.stopHow = null;
    if (w.alive) {
      const crashedBeforeReady = !w.ready && !w.stopping;
      const error = w.lastError;
      this.#retire(w, false, () => this.#brokenWorker(code, signal, error));
      if (crashedBeforeReady && this.#broken === undefined && !this.#shutdown && !this.#respawn.failed()) {
        const why =
          error instanceof Error ? `${error.name}: ${error.message}` : `exit code ${code ?? signal}`;
        this.#breakExecutor(
          new BrokenExecutorError(
            `${this.#respawn.failures} workers in a row died before they were ready (last: ${why}); the ` +
              "executor gave up (respawn.retries). Check the worker's initializer, the modules it imports " +
              "and its Node options, or allow more retries with the respawn option",
            { cause: error },
          ),
        );
      }
      this.#refill();
    } else if (w.span > 0) {
      if (!w.ready) {
        // Every message it sent has arrived and none said READY: no task of it ever started.
        this.#releaseUnstarted(w);
      } else {
        const stopError = w.stopError ?? (() => this.#brokenWorker(code, signal, w.lastError));
        this.#failAttached(w, stopError);
      }
    }
    this.#checkDrained();
  }

  /** Starts workers up to minWorkers (unless backing off, shut down or broken). */
  #refill(): void {
    if (this.#shutdown || this.#broken !== undefined || this.#respawn.holding) return;
    while (this.#workers.length < this.#settings.minWorkers) this.#spawn();
  }

  /** A respawn back-off ended: start the workers that are needed now. */
  #afterBackoff(): void {
    this.#refill();
    this.#schedule();
  }

  // ---- cancellation, abort, timeouts ----------------------------------------------------------------

  _withdraw(t: Task): boolean {
    if (t.where === QUEUED) {
      t.where = FINISHED;
      this.#queued--;
      if (t.signal !== undefined) unlistenAbort(t.signal, t);
      if (this.#roomWaiters.size > 0) this.#wakeRoom();
      if (this.#shutdown) queueMicrotask(() => this.#checkDrained());
      return true;
    }
    if (t.where === POSTED) {
      const states = t.worker!.states;
      if (states === null) return false;
      if (Atomics.compareExchange(states, t.slot, SLOT_PENDING, SLOT_WITHDRAWN) !== SLOT_PENDING)
        return false;
      t.where = FINISHED;
      if (t.signal !== undefined) unlistenAbort(t.signal, t);
      return true;
    }
    return false;
  }

  _isRunning(t: Task): boolean {
    if (t.where !== POSTED) return false;
    const w = t.worker!;
    return w.states === null ? w.head === t.slot : Atomics.load(w.states, t.slot) === SLOT_RUNNING;
  }

  _abort(t: Task): void {
    const reason = t.signal!.reason;
    if (t.where === QUEUED || (t.where === POSTED && this._withdraw(t))) {
      if (t.where === QUEUED) this._withdraw(t);
      settleFuture(t.future, false, reason);
      return;
    }
    if (t.where !== POSTED) return;
    const w = t.worker!;
    // Finished already: its result is on its way and wins (it finished before the abort).
    if (w.states !== null && Atomics.load(w.states, t.slot) === SLOT_DONE) return;
    // Running: the only way to stop JavaScript that runs is to stop its worker.
    this.#finish(t, false, reason);
    this.#stopWorker(w, "the worker was stopped because the signal of the task it was running was aborted");
  }

  #sweep(): void {
    const now = clock();
    let next = Number.POSITIVE_INFINITY;
    let unknownStart = Number.POSITIVE_INFINITY;
    for (const w of [...this.#workers]) {
      if (w.span === 0) continue;
      for (let k = 0, s = w.head; k < w.span; k++, s = s + 1 === w.tasks.length ? 0 : s + 1) {
        const t = w.tasks[s];
        if (t == null || t.worker !== w || t.where !== POSTED || t.timeout === 0) continue;
        // Finished: its result is on its way (a worker sends what it holds before a timed task starts).
        if (w.states !== null && Atomics.load(w.states, s) === SLOT_DONE) continue;
        if (t.startedAt === 0) {
          if (w.states !== null) {
            if (Atomics.load(w.states, s) === SLOT_RUNNING) t.startedAt = w.starts![s] || now;
          } else if (s === w.head && w.ready) t.startedAt = now;
          if (t.startedAt === 0) {
            if (t.timeout < unknownStart) unknownStart = t.timeout;
            continue;
          }
        }
        const due = t.startedAt + t.timeout;
        if (due <= now + 0.5) {
          this.#finish(t, false, new TaskTimeoutError(t.timeout));
          this.#stopWorker(w, "the worker was stopped because the task it was running exceeded its timeout");
          break;
        }
        if (due < next) next = due;
      }
    }
    if (this.#terminating) return;
    // Tasks not started yet are checked again within a tenth of their timeout (they start, at the latest,
    // when the task ahead of them ends).
    const wait = Math.min(next - now, Math.max(1, unknownStart / 10));
    if (wait !== Number.POSITIVE_INFINITY) this.#sweepTimer.within(Math.max(1, wait));
    this.#schedule();
  }

  // ---- room, breakage, shutdown ---------------------------------------------------------------------

  #wakeRoom(): void {
    this.#roomWaiters.wake(this.#settings.maxQueue - this.#queued);
  }

  #breakExecutor(err: Error): void {
    if (this.#broken !== undefined) return;
    this.#broken = err;
    this.#respawn.clear();
    for (const w of [...this.#workers]) {
      w.stopping = true;
      this.#retire(w, false, () => err);
      w.channel.terminate();
    }
    for (const t of this.#queue.drain()) {
      if (t.where === QUEUED) {
        this.#queued--;
        this.#finish(t, false, err);
      }
    }
    this.#roomWaiters.rejectAll(err);
    if (!this.#shutdown) {
      this.#shutdown = true;
      this.#done = new Promise((resolve) => {
        this.#resolveDone = resolve;
      });
    }
    this.#checkDrained();
  }

  #checkDrained(): void {
    if (!this.#shutdown) return;
    if (!this.#terminating) {
      if (this.#queued > 0 || this.#inflight > 0 || this.#holds > 0) return;
      this.#terminating = true;
      this.#sweepTimer.clear();
      this.#idleTimer?.clear();
      this.#respawn.clear();
      for (const w of [...this.#workers]) this.#stopWorker(w);
    }
    if (this.#alive === 0 && this.#resolveDone !== undefined) {
      this.#resolveDone();
      this.#resolveDone = undefined;
    }
  }
}

// Hidden classes of a pool's long-lived objects must outlive the pool (see shape-anchors.ts): an
// application that replaces a pool, or a benchmark that starts a fresh one per measurement, would otherwise
// lose the optimized core code at the next full GC after the old pool is gone. The anchors are an executor
// core that never starts a worker and one worker record of it.
{
  const noTransport: Transport = {
    sharedMemory: false,
    spawn(): never {
      throw new Error("unreachable: the shape anchor never starts a worker");
    },
  };
  const core = anchorShape(new ExecutorCore(noTransport, resolveExecutorOptions({ minWorkers: 0 })));
  anchorShape(new WorkerState(core, 0, null, null, 1));
}
