// @weft/pool: Python's concurrent.futures (ThreadPoolExecutor, Future, as_completed, wait) over worker threads.

// The user API. The extension API (the executor core, the worker-side task server, the Transport interface and
// the wire format, for @weft/process-pool and other transports) is on the subpath "@weft/pool/extension".
export type { TaskOptions } from "./core.js";
export { currentTask, type RunningTask } from "./current-task.js";
export {
  BrokenExecutorError,
  BrokenWorkerError,
  CancelledError,
  NotInTaskError,
  PoolOptionError,
  QueueFullError,
  ReservedPortError,
  ShutdownError,
  TaskTimeoutError,
  WorkerTerminatedError,
} from "./errors.js";
export {
  Executor,
  type MapIterables,
  type MapOptions,
  moduleTask,
  type ShutdownOptions,
  type TaskArgs,
  type TaskFunction,
  type TaskResult,
  type TypedModuleTarget,
} from "./executor.js";
export { type DoneCallback, Future, type FutureWaitOptions, type TaskControl } from "./future.js";
export {
  InvalidStateError,
  type ModuleTarget,
  type Target,
  TimeoutError,
  WorkerEntryError,
} from "./interop.js";
export { type ExecutorOptions, MAX_WORKERS } from "./options.js";
export type { RespawnOptions } from "./respawn-policy.js";
export { ThreadPoolExecutor, type ThreadPoolOptions } from "./thread-pool.js";
export { transfer } from "./transfer.js";
export {
  ALL_COMPLETED,
  type AsCompletedOptions,
  asCompleted,
  type DoneAndNotDone,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  wait,
} from "./waiting.js";
