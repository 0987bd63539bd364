// @weft/process-pool: Python's ProcessPoolExecutor over child processes, with @weft/pool's Future,
// asCompleted and wait (re-exported so one import is enough).

export {
  ALL_COMPLETED,
  type AsCompletedOptions,
  asCompleted,
  BrokenExecutorError,
  BrokenWorkerError,
  CancelledError,
  currentTask,
  type DoneAndNotDone,
  type DoneCallback,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  type FutureWaitOptions,
  InvalidStateError,
  type MapIterables,
  type MapOptions,
  type ModuleTarget,
  moduleTask,
  NotInTaskError,
  PoolOptionError,
  QueueFullError,
  type RespawnOptions,
  type ReturnWhen,
  type RunningTask,
  ShutdownError,
  type ShutdownOptions,
  type TaskFunction,
  type TaskOptions,
  TaskTimeoutError,
  TimeoutError,
  type TypedModuleTarget,
  type WaitOptions,
  WorkerEntryError,
  WorkerTerminatedError,
  wait,
} from "@weft/pool";
export { MarshalError } from "@weft/sync";
export { BrokenProcessError, ChildExitError, SingleExecutableError } from "./errors.js";
export type { ProcessPoolOptions } from "./options.js";
export type { ChildInfo, OutputMode } from "./output.js";
export { ProcessPoolExecutor } from "./process-pool.js";
