import { types } from "node:util";
import { checkTimeout } from "@weft/sync/extension";
import { CoreState } from "./core-state.js";
import { PoolOptionError, QueueFullError, ShutdownError } from "./errors.js";
import { bindTaskControl, Future, settleFuture } from "./future.js";
import { contextSnapshot, isLeaf, listenAbort, marshal } from "./interop.js";
import {
  FLAG_BARE,
  FLAG_CONTEXT,
  FLAG_ENCODED,
  FLAG_NOARGS,
  FLAG_STOPPABLE,
  taskCode,
} from "./message-codec.js";
import { resolveExecutorOptions } from "./options.js";
import type { RespawnSettings } from "./respawn-policy.js";
import { anchorShape } from "./shape-anchors.js";
import { FINISHED, Task } from "./task.js";
import type { TransferItem } from "./transfer.js";
import { isTransfer, unwrapTransfer } from "./transfer.js";
import type { Transport } from "./transport.js";

// The executor core, in units named after their concern (ARCHITECTURE.md, "Where each concern lives"):
//   scheduler.ts        the hot path: queue -> workers' windows (batched), results -> futures
//   slot-window.ts      one worker's ring of in-flight slots and the slot states it shares with the worker
//   batching.ts         the message being built for one worker
//   growth.ts           starting workers as needed, idle retirement, replacing used-up workers
//   targets.ts          targets described once and numbered
//   deadlines.ts        per-task timeouts
//   cancellation.ts     cancel before start, AbortSignals
//   crash-accounting.ts which tasks fail and which run elsewhere when a worker leaves; respawn back-off
//   balancer.ts         taking back unstarted tasks for a worker that ran dry
//   shutdown.ts         shutdown, terminate/kill, a broken executor
// They share one CoreState (core-state.ts). This file is what an executor calls: submit and shutdown.

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
  /** ms a task may run before it is asked to stop; 0 (or Infinity) for no limit. */
  taskTimeout: number;
  /**
   * ms between asking a running task to stop and stopping its worker if it has not ended; 0 stops it at
   * once, Infinity never.
   */
  killAfter: number;
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
 * ac.abort(); // f fails with the abort reason; a running task sees currentTask().signal abort
 * ```
 */
export interface TaskOptions {
  /**
   * Aborting withdraws the task, or, if it runs, aborts its `currentTask().signal` (its worker is stopped
   * if it has not ended within `killAfter`); the future fails with the reason.
   */
  signal?: AbortSignal;
  /**
   * ms this task may run before it is asked to stop and fails with TaskTimeoutError (its worker is stopped
   * if it has not ended within `killAfter`; 0 or Infinity: no limit). With the executor's `taskTimeout` as well, the earlier deadline governs.
   */
  timeout?: number;
  /** ArrayBuffers (or ports) among the arguments to move instead of copy. */
  transfer?: readonly TransferItem[];
}

// Nothing runs after the process's (or a worker thread's) "exit" event: a task submitted from an exit listener
// would never start and its future would stay pending. Python refuses the same ("cannot schedule new futures
// after interpreter shutdown"). Prepended, so that it is set before exit listeners registered earlier run.
let exiting = false;
const EXITING_MESSAGE =
  "cannot submit while the process is exiting (in a process 'exit' listener): the task would never run; " +
  "submit before the process exits, e.g. in a 'beforeExit' listener";
process.prependOnceListener("exit", () => {
  exiting = true;
});

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
  readonly #s: CoreState;

  constructor(transport: Transport, settings: CoreSettings) {
    this.#s = new CoreState(transport, settings);
    if (!anchored) {
      anchored = true;
      queueMicrotask(anchorCore);
    }
    this.#s.growth.start();
  }

  /** Live workers, tasks waiting for one, and tasks posted to workers. */
  get stats(): { workers: number; queued: number; inflight: number } {
    const s = this.#s;
    return { workers: s.workers.length, queued: s.queued, inflight: s.inflight };
  }

  /** True once shutdown() was called. */
  get isShutdown(): boolean {
    return this.#s.isShutdown;
  }

  /**
   * Throws ShutdownError / BrokenExecutorError if no more tasks are accepted, and ShutdownError while the
   * process (or this worker thread) is exiting.
   */
  checkOpen(): void {
    const s = this.#s;
    if (s.broken !== undefined) throw s.broken;
    if (s.isShutdown) throw new ShutdownError();
    if (exiting) throw new ShutdownError(EXITING_MESSAGE);
  }

  /** True when the queue holds maxQueue tasks. */
  get full(): boolean {
    return this.#s.admitted >= this.#s.settings.maxQueue;
  }

  /**
   * Keeps a shut-down executor's workers until {@link ExecutorCore.release}: for a map that existed before
   * shutdown() and still submits its remaining items (with enqueue) after it.
   */
  hold(): void {
    this.#s.shutdown.hold();
  }

  /** Ends a {@link ExecutorCore.hold}. */
  release(): void {
    this.#s.shutdown.release();
  }

  /** Resolves once the queue has room (at once if it has); rejects on shutdown. */
  waitForRoom(): Promise<void> {
    try {
      this.checkOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.full) return Promise.resolve();
    return this.#s.roomWaiters.wait();
  }

  /** The index of a target (function or module target), describing it on first use (see #indexOf). */
  targetIndex(target: unknown): number {
    return this.#indexOf(target);
  }

  /**
   * The index of a target. A target seen for the first time is described now, and for a function that is the
   * slowest step of a cold start (acorn's first load and a parse, ~10 ms): a pool with no worker yet starts
   * its first one before that, so that the worker boots meanwhile. (The task would start the same worker
   * right after; if describing the target or checking the arguments throws, it stays as an idle worker.)
   */
  #indexOf(target: unknown): number {
    const s = this.#s;
    if (s.workers.length === 0 && !s.targets.has(target)) s.growth.startFirst();
    return s.targets.indexOf(target);
  }

  /**
   * Queues one call of `target(...args)` and returns its future. Throws ShutdownError, BrokenExecutorError,
   * QueueFullError, a describeTarget error, or a MarshalError naming the argument that cannot cross (to
   * another process, when the transport says values cross processes).
   */
  submit(target: unknown, args: unknown[], options?: TaskOptions): Future<unknown> {
    this.checkOpen();
    const maxQueue = this.#s.settings.maxQueue;
    if (this.#s.admitted >= maxQueue) throw new QueueFullError(maxQueue);
    return this.enqueue(this.#indexOf(target), args, 0, options);
  }

  /**
   * Queues a task by target index with raw flags (used by map for chunks); no open/full checks.
   * `args` is the argument list (or, with FLAG_CHUNK, the list of single arguments).
   */
  enqueue(target: number, args: unknown[], flags: number, options?: TaskOptions): Future<unknown> {
    const s = this.#s;
    let transferList: TransferItem[] | undefined;
    let payload: unknown = args;
    let simple = true;
    for (let i = 0; i < args.length; i++) {
      let a = args[i];
      if (a !== null && (typeof a === "object" || typeof a === "function")) {
        if (types.isProxy(a)) {
          // Before anything reads it (its traps could throw, or it is revoked): the walk refuses it with a
          // MarshalError naming its path.
          simple = false;
          continue;
        }
        if (isTransfer(a)) {
          transferList ??= [];
          a = unwrapTransfer(a, transferList);
          args[i] = a;
        }
        if (simple && !isLeaf(a)) simple = false;
      } else if (typeof a === "symbol") simple = false; // the walk refuses it, naming its path
    }
    if (!simple) {
      // The one check of the arguments, for the boundary the transport crosses.
      payload = marshal.encode(args, { path: "args", crossProcess: s.crossProcess });
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
    const ctx = contextSnapshot();
    if (ctx !== undefined) flags |= FLAG_CONTEXT;
    let signal: AbortSignal | undefined;
    let timeout = s.settings.taskTimeout;
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
      s.cancellation,
      future,
      target,
      taskCode(target, flags),
      payload,
      ctx,
      transferList,
      signal,
      timeout,
    );
    bindTaskControl(future, task);
    if (signal !== undefined) {
      if (signal.aborted) {
        task.stage = FINISHED;
        settleFuture(future, false, signal.reason);
        return future;
      }
      listenAbort(signal, task);
    }
    s.queue.push(task);
    s.queued++;
    s.scheduler.queued();
    return future;
  }

  /**
   * Stops accepting tasks. With `cancelFutures`, cancels every task that has not started. The returned
   * promise settles once every accepted task is done and every worker has exited.
   */
  shutdown(wait: boolean, cancelFutures: boolean): Promise<void> {
    return this.#s.shutdown.shutdown(wait, cancelFutures);
  }

  /**
   * Python 3.14's terminate_workers() / kill_workers(): shuts down, cancels every task that has not
   * started, and stops every worker now (`kill`: SIGKILL for child processes, else SIGTERM; worker threads
   * are terminated either way). Running tasks fail with WorkerTerminatedError; results of tasks that had
   * finished are still delivered. Resolves once every worker has exited.
   */
  stopWorkers(how: "terminate" | "kill"): Promise<void> {
    return this.#s.shutdown.stopWorkers(how);
  }
}

// Hidden classes of a pool's long-lived objects must outlive the pool (see shape-anchors.ts): an
// application that replaces a pool, or a benchmark that starts a fresh one per measurement, would otherwise
// lose the optimized core code at the next full GC after the old pool is gone. The anchor is an executor
// core that never starts a worker; it holds one of each of its units. It is built just after the first
// executor core (in a microtask: after a first submit in the same tick, so while that pool's first worker boots,
// instead of when this module loads).
let anchored = false;

function anchorCore(): void {
  const noTransport: Transport = {
    sharedMemory: false,
    spawn(): never {
      throw new Error("unreachable: the shape anchor never starts a worker");
    },
  };
  anchorShape(new ExecutorCore(noTransport, resolveExecutorOptions({ minWorkers: 0 })));
}
