// @weft/distributed: weft's Executor and Future across machines, on BullMQ queues in Redis. Producers use
// DistributedExecutor; workers run serveQueue() or the weft-worker CLI.

export {
  ALL_COMPLETED,
  asCompleted,
  BrokenExecutorError,
  CancelledError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  type ModuleTarget,
  moduleTask,
  PoolOptionError,
  QueueFullError,
  ShutdownError,
  TaskTimeoutError,
  TimeoutError,
  type TypedModuleTarget,
  wait,
} from "@weft/pool";
export { MarshalError } from "@weft/sync";
export type { TaskAllowlist } from "./allowlist.js";
export type { RedisConnection } from "./connection.js";
export { DistributedFuture } from "./distributed-future.js";
export {
  JobFailedError,
  JobRemovedError,
  LeaseClosedError,
  LeaseLostError,
  RedisConnectionError,
  TaskNotAllowedError,
} from "./errors.js";
export { DistributedExecutor } from "./executor.js";
export { currentJob, type JobInfo } from "./job-context.js";
export { DistributedLock, DistributedSemaphore, LeaseGuard, type LeaseOptions } from "./lease.js";
export type { DistributedExecutorOptions, DistributedMapOptions, DistributedTaskOptions } from "./options.js";
export { QueueServer, type ServeQueueOptions, serveQueue } from "./serve-queue.js";
