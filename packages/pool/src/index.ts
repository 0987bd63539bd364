// @weft/pool: Python's concurrent.futures (ThreadPoolExecutor, Future, as_completed, wait) over worker threads.

// Extension API (for @weft/process-pool and other transports): the executor core and the worker-side task
// server, independent of what a worker is. See README "Extension API".
export { type CoreSettings, ExecutorCore, type TaskOptions } from "./core.js";
export {
  BrokenExecutorError,
  BrokenWorkerError,
  CancelledError,
  InvalidStateError,
  PoolOptionError,
  QueueFullError,
  ReservedPortError,
  ShutdownError,
  TaskTimeoutError,
  TimeoutError,
  WorkerTerminatedError,
} from "./errors.js";
export {
  Executor,
  type MapOptions,
  moduleTask,
  type ShutdownOptions,
  type TaskArgs,
  type TaskFunction,
  type TaskResult,
  type TypedModuleTarget,
} from "./executor.js";
export { type DoneCallback, Future, type FutureWaitOptions, type TaskControl } from "./future.js";
export type { ModuleTarget, Target } from "./interop.js";
export { type ExecutorOptions, resolveExecutorOptions } from "./options.js";
/**
 * The wire format between the core and a worker's task server (extension API), for transports that need
 * to look into messages (count tasks, answer for a task that cannot be sent). See src/protocol.ts.
 *
 * @example
 * ```ts
 * import { wire } from "@weft/pool";
 * const tasks = wire.countTasks(batch);
 * ```
 */
export * as wire from "./protocol.js";
export type { RespawnOptions, RespawnSettings } from "./respawn-policy.js";
export { serveTasks, type TaskEndpoint } from "./runner.js";
export { ThreadPoolExecutor, type ThreadPoolOptions } from "./thread-pool.js";
export { transfer } from "./transfer.js";
export type { Transport, WorkerChannel, WorkerInit, WorkerSink } from "./transport.js";
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
