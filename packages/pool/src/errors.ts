import { registerErrorClass } from "@weft/sync/extension";

// InvalidStateError and TimeoutError are defined once in @weft/sync (the lowest package that needs them) and
// re-exported through interop.ts: this module is also in the worker's graph, which loads @weft/sync's user API
// only when a task needs the marshal walk (see lazy-sync.ts).

/**
 * Raised by `result()`, `exception()` and awaiting a {@link Future} that was cancelled before it ran.
 *
 * @example
 * ```ts
 * const f = pool.submit(slow);
 * f.cancel();
 * await f.result().catch((e) => e instanceof CancelledError); // true
 * ```
 */
export class CancelledError extends Error {
  override name = "CancelledError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_CANCELLED";
  constructor(
    message = "the future was cancelled before it ran; check future.cancelled() before reading it",
  ) {
    super(message);
  }
}

/**
 * A task ran longer than its `taskTimeout` (or its own `timeout`): it was asked to stop (its
 * `currentTask().signal` aborted), and if it had not ended within `killAfter` its worker was stopped (the only
 * way to interrupt running JavaScript) and replaced; tasks queued behind it then run elsewhere.
 *
 * @example
 * ```ts
 * const pool = new ThreadPoolExecutor({ taskTimeout: 1000 });
 * await pool.submit(spin).catch((e) => e instanceof TaskTimeoutError); // true when spin takes > 1 s
 * ```
 */
export class TaskTimeoutError extends Error {
  override name = "TaskTimeoutError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_TASK_TIMEOUT";
  /** The limit that was exceeded, in milliseconds. */
  readonly timeout: number;
  constructor(timeout: number) {
    super(
      `the task ran longer than its timeout of ${timeout} ms and was stopped (its worker too, if it did not ` +
        "end within killAfter). " +
        "Raise taskTimeout or split the task into smaller ones",
    );
    this.timeout = timeout;
  }
}

/**
 * The worker running a task died (process.exit, out of memory, an uncaught error outside the task, or it was
 * terminated). Only the tasks that had started on that worker fail with it; the worker is replaced and
 * every other task still runs.
 *
 * @example
 * ```ts
 * const r = await pool.submit(crashy).catch((e) => e);
 * if (r instanceof BrokenWorkerError) console.log(r.exitCode, r.signal, r.cause);
 * ```
 */
export class BrokenWorkerError extends Error {
  override name = "BrokenWorkerError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_BROKEN_WORKER";
  /** The worker's exit code, or null when it was killed by a signal. */
  readonly exitCode: number | null;
  /** The signal that killed it (child processes only), else null. */
  readonly signal: string | null;
  constructor(exitCode: number | null, signal: string | null, cause?: unknown) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const why = cause instanceof Error ? ` (${cause.name}: ${cause.message})` : "";
    super(
      `the worker running this task ${how}${why} before the task finished; the worker was replaced. ` +
        "Look for process.exit, memory limits or errors thrown outside the task (e.g. in a timer)",
      cause === undefined ? undefined : { cause },
    );
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/**
 * The task was running when `terminateWorkers()` or `killWorkers()` stopped its worker (Python 3.14's
 * terminate_workers / kill_workers): it did not finish. Tasks that had not started are cancelled instead;
 * tasks that had finished keep their results.
 *
 * @example
 * ```ts
 * const stuck = pool.submit(waitForever);
 * await pool.terminateWorkers();
 * await stuck.catch((e) => e instanceof WorkerTerminatedError); // true
 * ```
 */
export class WorkerTerminatedError extends Error {
  override name = "WorkerTerminatedError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_WORKER_TERMINATED";
  /** Which call stopped the worker. */
  readonly by: "terminateWorkers" | "killWorkers";
  constructor(by: "terminateWorkers" | "killWorkers" = "terminateWorkers") {
    super(
      `the task was running when ${by}() stopped its worker, so it did not finish. Use shutdown() to let ` +
        "running tasks finish, or give long tasks an AbortSignal or a timeout",
    );
    this.by = by;
  }
}

/**
 * The executor can run nothing more: its worker initializer failed (Python's BrokenThreadPool). Pending
 * tasks fail with it and `submit` throws it.
 *
 * @example
 * ```ts
 * const pool = new ThreadPoolExecutor({ initializer: failingInit });
 * await pool.submit(task).catch((e) => e instanceof BrokenExecutorError); // true
 * ```
 */
export class BrokenExecutorError extends Error {
  override name = "BrokenExecutorError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_BROKEN_EXECUTOR";
}

/**
 * `submit` or `map` was called after `shutdown()`, or while the process (or the worker thread owning the
 * executor) is exiting: in a process `"exit"` listener, where a task could never run (Python's "cannot schedule
 * new futures after interpreter shutdown").
 *
 * @example
 * ```ts
 * await pool.shutdown();
 * try { pool.submit(task); } catch (e) { e instanceof ShutdownError; } // true
 * ```
 */
export class ShutdownError extends Error {
  override name = "ShutdownError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_SHUTDOWN";
  constructor(message = "cannot submit after shutdown(); create a new executor for more work") {
    super(message);
  }
}

/**
 * The executor's queue already holds `maxQueue` tasks. Wait for room with `await pool.ready()`, or use
 * `pool.run(...)` with `whenFull: "wait"`, or raise `maxQueue`.
 *
 * @example
 * ```ts
 * const pool = new ThreadPoolExecutor({ maxQueue: 1000 });
 * try { pool.submit(task); } catch (e) { if (e instanceof QueueFullError) await pool.ready(); }
 * ```
 */
export class QueueFullError extends Error {
  override name = "QueueFullError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_QUEUE_FULL";
  /** The configured limit. */
  readonly maxQueue: number;
  constructor(maxQueue: number) {
    super(
      `the task queue is full (maxQueue ${maxQueue}); use run() with whenFull: "wait", or await ` +
        "pool.ready() before submit(), or raise maxQueue",
    );
    this.maxQueue = maxQueue;
  }
}

/**
 * Bad options or arguments given to the pool (a negative maxWorkers, a non-function target, ...).
 *
 * @example
 * ```ts
 * new ThreadPoolExecutor({ maxWorkers: 0 }); // throws PoolOptionError naming maxWorkers
 * ```
 */
export class PoolOptionError extends TypeError {
  override name = "PoolOptionError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_POOL_OPTION";
}

/**
 * A task running in a pool's worker thread called `parentPort.postMessage`. That port carries the pool's
 * own messages, so it is reserved: return a value from the task instead, or pass the task a MessagePort
 * of your own (in the transfer list) and post on that.
 *
 * @example
 * ```ts
 * // in a task module run by a ThreadPoolExecutor
 * import { parentPort } from "node:worker_threads";
 * export function report() {
 *   parentPort!.postMessage("progress"); // throws ReservedPortError
 * }
 * ```
 */
export class ReservedPortError extends Error {
  override name = "ReservedPortError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_RESERVED_PORT";
}

/**
 * `currentTask()` was called where no pool task runs: on the main thread, in an initializer, or after the
 * task ended (a timer or callback it left behind).
 *
 * @example
 * ```ts
 * try { currentTask(); } catch (e) { e instanceof NotInTaskError; } // true on the main thread
 * ```
 */
export class NotInTaskError extends Error {
  override name = "NotInTaskError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_NOT_IN_TASK";
  constructor() {
    super(
      "currentTask() was called outside a running pool task; call it inside the task function " +
        "(synchronously or after an await in it), not on the main thread or in an initializer",
    );
  }
}

registerErrorClass(NotInTaskError, "ERR_WEFT_NOT_IN_TASK");
registerErrorClass(CancelledError, "ERR_WEFT_CANCELLED");
registerErrorClass(TaskTimeoutError, "ERR_WEFT_TASK_TIMEOUT");
registerErrorClass(BrokenWorkerError, "ERR_WEFT_BROKEN_WORKER");
registerErrorClass(BrokenExecutorError, "ERR_WEFT_BROKEN_EXECUTOR");
registerErrorClass(ShutdownError, "ERR_WEFT_SHUTDOWN");
registerErrorClass(QueueFullError, "ERR_WEFT_QUEUE_FULL");
registerErrorClass(PoolOptionError, "ERR_WEFT_POOL_OPTION");
registerErrorClass(ReservedPortError, "ERR_WEFT_RESERVED_PORT");
registerErrorClass(WorkerTerminatedError, "ERR_WEFT_WORKER_TERMINATED");
