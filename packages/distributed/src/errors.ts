import { registerErrorClass } from "@weft/sync/extension";

/**
 * Redis could not be reached: the executor or worker did not connect within its `connectTimeout`, or a
 * command failed because the connection was down. The message names the server (`host:port`, never the
 * password) and the cause is the client's error.
 *
 * @example
 * ```ts
 * const ex = new DistributedExecutor({ connection: "redis://127.0.0.1:1", queue: "q", connectTimeout: 500 });
 * await ex.submit(task).catch((e) => e instanceof RedisConnectionError); // true, after about 500 ms
 * ```
 */
export class RedisConnectionError extends Error {
  override name = "RedisConnectionError";
  /** Stable identifier of this error class (survives crossing threads, processes and machines). */
  readonly code: string = "ERR_WEFT_REDIS_CONNECTION";
  /** The server, as `host:port` (no credentials). */
  readonly server: string;
  constructor(server: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.server = server;
  }
}
registerErrorClass(RedisConnectionError, "ERR_WEFT_REDIS_CONNECTION");

/**
 * The job behind a Future is no longer in Redis although it never finished: another client removed it
 * (`queue.remove`, `obliterate`, a cleaner), or Redis lost its data (restarted without persistence).
 *
 * @example
 * ```ts
 * const f = ex.submit(task);
 * await queue.remove(f.jobId);
 * await f.catch((e) => e instanceof JobRemovedError); // true
 * ```
 */
export class JobRemovedError extends Error {
  override name = "JobRemovedError";
  /** Stable identifier of this error class (survives crossing threads, processes and machines). */
  readonly code: string = "ERR_WEFT_JOB_REMOVED";
  /** The BullMQ job id. */
  readonly jobId: string;
  constructor(jobId: string) {
    super(
      `job ${jobId} was removed from Redis before it finished (by another client, or Redis lost its data): ` +
        "submit it again, and enable Redis persistence (appendonly yes) if the server restarts",
    );
    this.jobId = jobId;
  }
}
registerErrorClass(JobRemovedError, "ERR_WEFT_JOB_REMOVED");

/**
 * BullMQ gave up on a job without a task outcome: it stalled (its worker died or blocked its event loop past
 * the lock) more often than the worker's `maxStalledCount` allows, or a worker could not read it. A task that
 * throws rejects its Future with its own error instead.
 *
 * @example
 * ```ts
 * await f.catch((e) => e instanceof JobFailedError && console.log(e.failedReason));
 * ```
 */
export class JobFailedError extends Error {
  override name = "JobFailedError";
  /** Stable identifier of this error class (survives crossing threads, processes and machines). */
  readonly code: string = "ERR_WEFT_JOB_FAILED";
  /** The BullMQ job id. */
  readonly jobId: string;
  /** BullMQ's `failedReason`. */
  readonly failedReason: string;
  constructor(jobId: string, failedReason: string) {
    super(
      `BullMQ failed job ${jobId} without a task outcome: ${failedReason}. If workers died or blocked, ` +
        "raise the workers' lockDuration / maxStalledCount, or keep CPU-bound tasks off their event loop (pool: 'threads')",
    );
    this.jobId = jobId;
    this.failedReason = failedReason;
  }
}
registerErrorClass(JobFailedError, "ERR_WEFT_JOB_FAILED");

/**
 * A worker refused a job's target: its module is not in the worker's `tasks` allowlist, or the job carried
 * function source and the worker does not allow function source (the default; enabling it means remote code
 * execution for anyone who can write to the queue).
 *
 * @example
 * ```ts
 * await ex.submit(moduleTask(new URL("./other.js", import.meta.url), "run"))
 *   .catch((e) => e instanceof TaskNotAllowedError); // true when workers do not serve ./other.js
 * ```
 */
export class TaskNotAllowedError extends Error {
  override name = "TaskNotAllowedError";
  /** Stable identifier of this error class (survives crossing threads, processes and machines). */
  readonly code: string = "ERR_WEFT_TASK_NOT_ALLOWED";
}
registerErrorClass(TaskNotAllowedError, "ERR_WEFT_TASK_NOT_ALLOWED");

/**
 * `acquire()` was called on a {@link DistributedLock} or {@link DistributedSemaphore} after its `close()`, or
 * `close()` was called while an `acquire()` waited. Leases it already handed out are not affected (their
 * `release()` resolves `false` once the connection is gone, and Redis frees them when their lease runs out).
 * Create a new lock object to acquire again.
 *
 * @example
 * ```ts
 * const lock = new DistributedLock({ connection: "redis://127.0.0.1:6379", name: "reports" });
 * await lock.close();
 * await lock.acquire().catch((e) => e instanceof LeaseClosedError); // true
 * ```
 */
export class LeaseClosedError extends Error {
  override name = "LeaseClosedError";
  /** Stable identifier of this error class (survives crossing threads, processes and machines). */
  readonly code: string = "ERR_WEFT_LEASE_CLOSED";
}
registerErrorClass(LeaseClosedError, "ERR_WEFT_LEASE_CLOSED");

/**
 * The reason a {@link LeaseGuard}'s `signal` aborts with: the lease of a {@link DistributedLock} or a permit
 * of a {@link DistributedSemaphore} was lost while its holder still held the guard. Either it ran out in Redis
 * before it could be renewed (this process was cut off from Redis, or its event loop was blocked longer than a
 * third of the lease), or it was gone when renewed or released (it had run out, or was removed, and another
 * holder may have it now). Stop the work the lease guards; then keep that work shorter than the lease, keep
 * the event loop free so the lease is renewed in time, or raise the `lease` option. Writes made under the
 * lease should carry its fencing `token`, so the resource can refuse them.
 *
 * @example
 * ```ts
 * await using lease = await lock.acquire();
 * lease.signal.addEventListener("abort", () => {
 *   if (lease.signal.reason instanceof LeaseLostError) console.error(lease.signal.reason.message);
 * });
 * await storage.write(data, { fencingToken: lease.token, signal: lease.signal });
 * ```
 */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  /** Stable identifier of this error class (survives crossing threads, processes and machines). */
  readonly code: string = "ERR_WEFT_LEASE_LOST";
  /** The fencing token of the lost lease. */
  readonly token: number;
  constructor(message: string, token: number) {
    super(message);
    this.token = token;
  }
}
registerErrorClass(LeaseLostError, "ERR_WEFT_LEASE_LOST");
