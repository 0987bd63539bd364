import { availableParallelism } from "node:os";
import type { ResourceLimits } from "node:worker_threads";
import type { CoreSettings, TaskOptions } from "./core.js";
import { describeNonObject } from "./describe-non-object.js";
import { PoolOptionError } from "./errors.js";
import type { MapOptions, ShutdownOptions } from "./executor.js";
import { checkOptionKeys, checkResourceLimits, checkTimeout, checkWorkerEntry } from "./interop.js";
import { type RespawnOptions, resolveRespawn } from "./respawn-policy.js";
import type { ThreadPoolOptions } from "./thread-pool.js";

/**
 * Options shared by every executor (extension API: @weft/process-pool accepts the same ones).
 *
 * @example
 * ```ts
 * const options: ExecutorOptions = { maxWorkers: 4, maxQueue: 10_000, whenFull: "wait", taskTimeout: 30_000 };
 * ```
 */
export interface ExecutorOptions {
  /** Most workers, at most {@link MAX_WORKERS} (default: os.availableParallelism()). */
  maxWorkers?: number;
  /** Workers started at once and kept when idle (default 0). */
  minWorkers?: number;
  /** ms an idle worker above minWorkers lives before it exits (default 30 000; Infinity: forever). */
  idleTimeout?: number;
  /** Most tasks waiting for a worker (default Infinity). Beyond it see `whenFull`. */
  maxQueue?: number;
  /**
   * When the queue is full: "reject" (default) makes `run` reject with QueueFullError; "wait" makes it wait
   * for room. `submit` is synchronous and always throws QueueFullError when full; `map` always waits.
   */
  whenFull?: "reject" | "wait";
  /** A function (or module target) run once in each worker before its first task. */
  initializer?: ((...args: any[]) => unknown) | { module: string | URL; export?: string };
  /** Arguments of the initializer. */
  initArgs?: unknown[];
  /**
   * ms a task may run; past it the task fails with TaskTimeoutError and its worker is replaced (default:
   * none; 0 or Infinity: none).
   */
  taskTimeout?: number;
  /**
   * Grace period in ms (default 1000) between asking a running task to stop (its `currentTask().signal`
   * aborts: its future's signal aborted, its timeout expired, or `terminateWorkers()` was called) and
   * stopping its worker if it has not ended by then. 0 stops the worker at once, as before cooperative
   * cancellation; Infinity never stops it (the task runs to its end, its future already failed or not).
   */
  killAfter?: number;
  /** Tasks posted ahead to one worker (default 64): higher is faster for tiny tasks. */
  window?: number;
  /** Tasks a worker runs before it is replaced by a fresh one (default Infinity; bounds leaks). */
  maxTasksPerWorker?: number;

  // ---- faults: timeouts beyond 2^31 - 1 ms, respawn policy ----
  /** How workers that die before they are ready are replaced (default { retries: 5, backoffMs: 100, maxBackoffMs: 5000 }). */
  respawn?: RespawnOptions;
}

/**
 * The most workers one executor may have (`maxWorkers`): 1024. Each worker is a thread (or, in a process
 * pool, a process) with its own V8 heap, so far fewer are useful; the bound catches a typo such as
 * `maxWorkers: 40000` before it exhausts memory.
 *
 * @example
 * ```ts
 * new ThreadPoolExecutor({ maxWorkers: Math.min(MAX_WORKERS, 64) });
 * ```
 */
export const MAX_WORKERS = 1024;

/** Every key of {@link ExecutorOptions} (a Record, so a new option that is not listed here fails to compile). */
const EXECUTOR_KEYS: Record<keyof ExecutorOptions, true> = {
  maxWorkers: true,
  minWorkers: true,
  idleTimeout: true,
  maxQueue: true,
  whenFull: true,
  initializer: true,
  initArgs: true,
  taskTimeout: true,
  killAfter: true,
  window: true,
  maxTasksPerWorker: true,
  respawn: true,
};

/**
 * The valid keys of an executor's options: those of {@link ExecutorOptions} plus `extra` (extension API:
 * give the result to {@link checkOptions}). List `extra` as a Record of every key of the executor's own
 * options type, so that adding an option without listing it does not compile.
 *
 * @example
 * ```ts
 * const PROCESS_POOL_KEYS = optionKeys({ maxTasksPerChild: true, execArgv: true });
 * ```
 */
export function optionKeys(extra: Record<string, true> = {}): ReadonlySet<string> {
  return new Set<string>([...Object.keys(EXECUTOR_KEYS), ...Object.keys(extra)]);
}

const EXECUTOR_OPTION_KEYS = optionKeys();

/**
 * Checks that `options` is an object whose every key is in `known` (extension API; every options object of
 * both pools goes through it). Otherwise throws {@link PoolOptionError}: `where` must be an object, or
 * names the unknown key and the nearest valid one, e.g.
 * `ThreadPoolExecutor options: unknown option "maxWorker" (did you mean "maxWorkers"?); valid options: ...`.
 * Allocates nothing when the options are valid.
 *
 * @param where - how the message names the options, e.g. `"submitWith options"`
 * @param options - the value given
 * @param known - the valid keys
 * @param everyKey - a constructor's options: also refuse symbol keys and read every known option (see
 * checkOptionKeys in @weft/sync/extension; per-call options leave it out, so that their check allocates nothing)
 * @example
 * ```ts
 * const KEYS = new Set(["wait", "cancelFutures"]);
 * checkOptions("shutdown options", { cancelFuture: true }, KEYS); // PoolOptionError: ... did you mean "cancelFutures"?
 * ```
 */
export function checkOptions(
  where: string,
  options: unknown,
  known: ReadonlySet<string>,
  everyKey = false,
): asserts options is object {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new PoolOptionError(
      `${where} must be an object such as { ${[...known][0]}: ... }, got ${describeNonObject(options)}`,
    );
  }
  checkOptionKeys(where, options, known, newOptionError, everyKey);
}

function newOptionError(message: string, options?: ErrorOptions): PoolOptionError {
  return new PoolOptionError(message, options);
}

function count(name: string, v: unknown, min: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (v === Number.POSITIVE_INFINITY) return v;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new PoolOptionError(`${name} must be an integer >= ${min} (or Infinity), got ${String(v)}`);
  }
  return v;
}

/**
 * Validates executor options and fills in defaults (extension API). Unknown keys are refused (see
 * {@link checkOptions}); an executor with options of its own checks the whole object with its keys first
 * and passes the rest here.
 *
 * @param options - the executor options
 * @param where - how messages name them (default "executor options")
 * @example
 * ```ts
 * const settings = resolveExecutorOptions({ maxWorkers: 2 });
 * settings.window; // 64
 * ```
 */
export function resolveExecutorOptions(
  options: ExecutorOptions = {},
  where = "executor options",
): CoreSettings & {
  whenFull: "reject" | "wait";
} {
  checkOptions(where, options, EXECUTOR_OPTION_KEYS, true);
  const maxWorkers = count(
    "maxWorkers",
    options.maxWorkers,
    1,
    Math.max(1, Math.min(MAX_WORKERS, availableParallelism())),
  );
  if (maxWorkers > MAX_WORKERS) {
    throw new PoolOptionError(
      `maxWorkers must be at most ${MAX_WORKERS}, got ${maxWorkers}: each worker has its own heap; ` +
        "a few per CPU core (os.availableParallelism()) is usually the most that helps",
    );
  }
  const minWorkers = count("minWorkers", options.minWorkers, 0, 0);
  if (minWorkers > maxWorkers) {
    throw new PoolOptionError(`minWorkers (${minWorkers}) must not exceed maxWorkers (${maxWorkers})`);
  }
  const idleTimeout =
    options.idleTimeout === undefined ? 30_000 : checkTimeout("idleTimeout", options.idleTimeout);
  const maxQueue = count("maxQueue", options.maxQueue, 1, Number.POSITIVE_INFINITY);
  // ---- faults: any timeout checkTimeout accepts (Infinity or 0: no limit) ----
  const taskTimeoutMs =
    options.taskTimeout === undefined ? 0 : checkTimeout("taskTimeout", options.taskTimeout);
  const taskTimeout = taskTimeoutMs === Number.POSITIVE_INFINITY ? 0 : taskTimeoutMs;
  const killAfter = options.killAfter === undefined ? 1000 : checkTimeout("killAfter", options.killAfter);
  const respawn = resolveRespawn(options.respawn);
  const window = count("window", options.window, 1, 64);
  const maxTasksPerWorker = count(
    "maxTasksPerWorker",
    options.maxTasksPerWorker,
    1,
    Number.POSITIVE_INFINITY,
  );
  if (window > 4096) throw new PoolOptionError(`window must be at most 4096, got ${window}`);
  const whenFull = options.whenFull ?? "reject";
  if (whenFull !== "reject" && whenFull !== "wait") {
    throw new PoolOptionError(`whenFull must be "reject" or "wait", got ${String(whenFull)}`);
  }
  const initArgs = options.initArgs ?? [];
  if (!Array.isArray(initArgs)) throw new PoolOptionError("initArgs must be an array of arguments");
  const initializer = options.initializer;
  if (
    initializer !== undefined &&
    typeof initializer !== "function" &&
    (typeof initializer !== "object" || initializer === null || !("module" in initializer))
  ) {
    throw new PoolOptionError("initializer must be a function or a module target { module, export }");
  }
  return {
    maxWorkers,
    minWorkers,
    idleTimeout,
    maxQueue,
    taskTimeout,
    killAfter,
    window,
    maxTasksPerWorker,
    whenFull,
    initializer,
    initArgs: [...initArgs],
    respawn,
  };
}

const THREAD_POOL_KEYS = optionKeys({ resourceLimits: true, name: true, workerEntry: true } satisfies Record<
  Exclude<keyof ThreadPoolOptions, keyof ExecutorOptions>,
  true
>);
/** @internal ThreadPoolExecutor's options, checked, split into the executor's and the worker threads'. */
export function splitThreadPoolOptions(options: ThreadPoolOptions): {
  executor: ExecutorOptions;
  resourceLimits: ResourceLimits | undefined;
  name: string | undefined;
  workerEntry: string | undefined;
} {
  checkOptions("ThreadPoolExecutor options", options, THREAD_POOL_KEYS, true);
  const { resourceLimits: given, name, workerEntry } = options;
  // Every other key is the executor's, inherited ones too (as the check above counts them): a rest pattern
  // would copy only the own ones.
  const executor: Record<string, unknown> = {};
  for (const key in options) {
    if (key !== "resourceLimits" && key !== "name" && key !== "workerEntry") {
      executor[key] = (options as Record<string, unknown>)[key];
    }
  }
  const resourceLimits = checkResourceLimits("resourceLimits", given, newOptionError);
  if (name !== undefined && typeof name !== "string") {
    throw new PoolOptionError(
      `name must be a string (the prefix of worker thread names), got ${name === null ? "null" : typeof name}`,
    );
  }
  const entry =
    workerEntry === undefined
      ? undefined
      : checkWorkerEntry("new ThreadPoolExecutor({ workerEntry })", workerEntry);
  return { executor: executor as ExecutorOptions, resourceLimits, name, workerEntry: entry };
}

const TASK_OPTION_KEYS = new Set(
  Object.keys({ signal: true, timeout: true, transfer: true } satisfies Record<keyof TaskOptions, true>),
);
const MAP_OPTION_KEYS = new Set(
  Object.keys({ chunksize: true, timeout: true, buffersize: true } satisfies Record<keyof MapOptions, true>),
);
const SHUTDOWN_OPTION_KEYS = new Set(
  Object.keys({ wait: true, cancelFutures: true } satisfies Record<keyof ShutdownOptions, true>),
);

/** @internal Checks submitWith's per-task options: known keys, an AbortSignal, a valid timeout. */
export function checkTaskOptions(options: TaskOptions): void {
  checkOptions("submitWith options", options, TASK_OPTION_KEYS);
  const { signal, timeout } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new PoolOptionError(
      `submitWith options: signal must be an AbortSignal (e.g. new AbortController().signal), got ${signal === null ? "null" : typeof signal}`,
    );
  }
  if (timeout !== undefined) checkTimeout("submitWith options: timeout", timeout);
}

/** @internal Checks map's options: known keys (their values are checked by map). */
export function checkMapOptions(who: string, options: unknown): asserts options is MapOptions {
  checkOptions(`${who} options`, options, MAP_OPTION_KEYS);
}

/** @internal Checks shutdown's options: known keys, booleans. */
export function checkShutdownOptions(options: ShutdownOptions): void {
  checkOptions("shutdown options", options, SHUTDOWN_OPTION_KEYS);
  for (const key of SHUTDOWN_OPTION_KEYS) {
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== "boolean") {
      throw new PoolOptionError(`shutdown options: ${key} must be true or false, got ${String(v)}`);
    }
  }
}
