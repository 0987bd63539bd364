// The options of DistributedExecutor, submitWith, map and shutdown: every key checked (an unknown one is a
// PoolOptionError with the nearest valid name, as in the pools), every value checked, defaults filled in.
import { PoolOptionError } from "@weft/pool";
import { checkOptions } from "@weft/pool/extension";
import { checkTimeout } from "@weft/sync/extension";
import { type RedisConnection, type ResolvedConnection, resolveConnection } from "./connection.js";

/**
 * Options of {@link DistributedExecutor}.
 *
 * @example
 * ```ts
 * const options: DistributedExecutorOptions = { connection: "redis://127.0.0.1:6379", queue: "thumbnails" };
 * ```
 */
export interface DistributedExecutorOptions {
  /** Where Redis is (a URL or ioredis options, each key checked; credentials and TLS go to the client as given). Required. */
  connection: RedisConnection;
  /** The BullMQ queue that workers serve (`serveQueue` / `weft-worker --queue`). Required. */
  queue: string;
  /** BullMQ's key prefix (default "bull"); workers must use the same. */
  prefix?: string;
  /**
   * ms to wait for Redis at start-up (default 10 000): if it cannot be reached by then, every future fails
   * with RedisConnectionError and the executor is broken. `0` or `Infinity` waits without limit. Later
   * outages are waited out (see the README).
   */
  connectTimeout?: number;
  /** Largest encoded arguments (and results) in bytes (default 8 MiB); beyond it submit throws MarshalError. */
  maxPayloadBytes?: number;
  /** Most futures of this executor not yet done (default Infinity); beyond it see `whenFull`. */
  maxQueue?: number;
  /** When `maxQueue` futures are pending: "reject" (default) makes `run` reject, "wait" makes it wait. */
  whenFull?: "reject" | "wait";
  /** How often a job whose task throws is tried in all (default 1: no retry); per task in submitWith. */
  attempts?: number;
  /** Seconds a finished job (and its result) stays in Redis for other readers (default 3600). */
  keepResults?: number;
  /** ms between checks of jobs whose outcome no event has brought (default 5000). */
  reconcileInterval?: number;
  /**
   * Called with each RedisConnectionError while Redis is unreachable (once per outage). Default: one line
   * on stderr naming the server (never credentials).
   */
  onError?: (error: Error) => void;
}

/**
 * Options of {@link DistributedExecutor.submitWith}.
 *
 * @example
 * ```ts
 * ex.submitWith({ jobId: `invoice-${id}`, attempts: 3, priority: 1, timeout: 60_000 }, renderInvoice, id);
 * ```
 */
export interface DistributedTaskOptions {
  /** Aborting removes the job if it waits, or aborts its task's signal on its worker; the future fails with the reason. */
  signal?: AbortSignal;
  /** ms the task may run on its worker before it fails with TaskTimeoutError (0 or Infinity: none). */
  timeout?: number;
  /** BullMQ priority: 1 is the highest, up to 2 097 152; jobs without one go before prioritized ones. */
  priority?: number;
  /** How often the task is tried in all when it throws (default: the executor's `attempts`). */
  attempts?: number;
  /**
   * Idempotency key: a job with this id that already exists (waiting, running or finished and kept) is not
   * added again; the future settles with that job's outcome.
   */
  jobId?: string;
}

/** Options of {@link DistributedExecutor.mapWith}. */
export interface DistributedMapOptions {
  /** Calls sent per job (default 1): more is faster for tiny tasks. */
  chunksize?: number;
  /** ms from the call: the iterator throws TimeoutError when a result is later, cancelling the rest. */
  timeout?: number;
  /** Calls (or chunks) submitted ahead of the results taken (default 64). */
  buffersize?: number;
}

export interface ExecutorSettings {
  readonly connection: ResolvedConnection;
  readonly queue: string;
  readonly prefix: string;
  readonly connectTimeout: number;
  readonly maxPayloadBytes: number;
  readonly maxQueue: number;
  readonly whenFull: "reject" | "wait";
  readonly attempts: number;
  readonly keepResults: number;
  readonly reconcileInterval: number;
  readonly onError: ((error: Error) => void) | undefined;
}

const EXECUTOR_KEYS = new Set(
  Object.keys({
    connection: true,
    queue: true,
    prefix: true,
    connectTimeout: true,
    maxPayloadBytes: true,
    maxQueue: true,
    whenFull: true,
    attempts: true,
    keepResults: true,
    reconcileInterval: true,
    onError: true,
  } satisfies Record<keyof DistributedExecutorOptions, true>),
);
const TASK_KEYS = new Set(
  Object.keys({ signal: true, timeout: true, priority: true, attempts: true, jobId: true } satisfies Record<
    keyof DistributedTaskOptions,
    true
  >),
);
const MAP_KEYS = new Set(
  Object.keys({ chunksize: true, timeout: true, buffersize: true } satisfies Record<
    keyof DistributedMapOptions,
    true
  >),
);
const SHUTDOWN_KEYS = new Set(["wait", "cancelFutures"]);

/** An integer >= min (or Infinity when allowed), else a PoolOptionError naming it. */
export function integerOption(name: string, v: unknown, min: number, dflt: number, infinite = false): number {
  if (v === undefined) return dflt;
  if (infinite && v === Number.POSITIVE_INFINITY) return v;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new PoolOptionError(
      `${name} must be an integer >= ${min}${infinite ? " (or Infinity)" : ""}, got ${String(v)}`,
    );
  }
  return v;
}

/** A queue or prefix name: non-empty, without ':' (BullMQ uses it to build keys). */
export function nameOption(name: string, v: unknown, dflt?: string): string {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== "string" || v === "" || v.includes(":")) {
    throw new PoolOptionError(
      `${name} must be a non-empty string without ':', got ${v === undefined ? "nothing" : JSON.stringify(v)}`,
    );
  }
  return v;
}

export function resolveExecutorOptions(options: DistributedExecutorOptions): ExecutorSettings {
  const W = "DistributedExecutor options";
  checkOptions(W, options, EXECUTOR_KEYS, true);
  const whenFull = options.whenFull ?? "reject";
  if (whenFull !== "reject" && whenFull !== "wait") {
    throw new PoolOptionError(`${W}: whenFull must be "reject" or "wait", got ${String(whenFull)}`);
  }
  if (options.onError !== undefined && typeof options.onError !== "function") {
    throw new PoolOptionError(`${W}: onError must be a function (error) => void`);
  }
  return {
    connection: resolveConnection(W, options.connection),
    queue: nameOption(`${W}: queue`, options.queue),
    prefix: nameOption(`${W}: prefix`, options.prefix, "bull"),
    connectTimeout:
      options.connectTimeout === undefined
        ? 10_000
        : checkTimeout(`${W}: connectTimeout`, options.connectTimeout),
    maxPayloadBytes: integerOption(`${W}: maxPayloadBytes`, options.maxPayloadBytes, 64, 8 * 1024 * 1024),
    maxQueue: integerOption(`${W}: maxQueue`, options.maxQueue, 1, Number.POSITIVE_INFINITY, true),
    whenFull,
    attempts: integerOption(`${W}: attempts`, options.attempts, 1, 1),
    keepResults: integerOption(`${W}: keepResults`, options.keepResults, 1, 3600),
    reconcileInterval: integerOption(`${W}: reconcileInterval`, options.reconcileInterval, 10, 5000),
    onError: options.onError,
  };
}

/** A checked task: its per-task settings, ready for the job. */
export interface TaskSettings {
  signal: AbortSignal | undefined;
  timeout: number;
  priority: number | undefined;
  attempts: number | undefined;
  jobId: string | undefined;
}

export function resolveTaskOptions(options: DistributedTaskOptions): TaskSettings {
  checkOptions("submitWith options", options, TASK_KEYS);
  const { signal, jobId } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new PoolOptionError(
      `submitWith options: signal must be an AbortSignal (e.g. new AbortController().signal), got ${typeof signal}`,
    );
  }
  const timeout =
    options.timeout === undefined ? 0 : checkTimeout("submitWith options: timeout", options.timeout);
  if (
    jobId !== undefined &&
    (typeof jobId !== "string" || jobId === "" || /^\d+$/.test(jobId) || jobId.includes(":"))
  ) {
    throw new PoolOptionError(
      `submitWith options: jobId must be a non-empty string that is not only digits and has no ':', got ${JSON.stringify(jobId)}`,
    );
  }
  const priority = integerOption("submitWith options: priority", options.priority, 1, 0);
  if (priority > 2_097_152)
    throw new PoolOptionError(`submitWith options: priority must be at most 2097152, got ${priority}`);
  return {
    signal,
    timeout: timeout === Number.POSITIVE_INFINITY ? 0 : timeout,
    priority: options.priority === undefined ? undefined : priority,
    attempts:
      options.attempts === undefined
        ? undefined
        : integerOption("submitWith options: attempts", options.attempts, 1, 1),
    jobId,
  };
}

export interface MapSettings {
  chunksize: number;
  timeout: number;
  buffersize: number;
}

export function resolveMapOptions(who: string, options: unknown): MapSettings {
  checkOptions(`${who} options`, options, MAP_KEYS);
  const o = options as DistributedMapOptions;
  const timeout =
    o.timeout === undefined ? Number.POSITIVE_INFINITY : checkTimeout(`${who} options: timeout`, o.timeout);
  return {
    chunksize: integerOption(`${who} options: chunksize`, o.chunksize, 1, 1),
    timeout,
    buffersize: integerOption(`${who} options: buffersize`, o.buffersize, 1, 64),
  };
}

export function resolveShutdownOptions(options: unknown): { wait: boolean; cancelFutures: boolean } {
  checkOptions("shutdown options", options, SHUTDOWN_KEYS);
  const o = options as Record<string, unknown>;
  for (const key of SHUTDOWN_KEYS) {
    if (o[key] !== undefined && typeof o[key] !== "boolean") {
      throw new PoolOptionError(`shutdown options: ${key} must be true or false, got ${String(o[key])}`);
    }
  }
  return { wait: o.wait !== false, cancelFutures: o.cancelFutures === true };
}
