import { availableParallelism } from "node:os";
import { checkTimeout } from "@weft/sync/extension";
import type { CoreSettings } from "./core.js";
import { PoolOptionError } from "./errors.js";
import { type RespawnOptions, resolveRespawn } from "./respawn-policy.js";

/**
 * Options shared by every executor (extension API: @weft/process-pool accepts the same ones).
 *
 * @example
 * ```ts
 * const options: ExecutorOptions = { maxWorkers: 4, maxQueue: 10_000, whenFull: "wait", taskTimeout: 30_000 };
 * ```
 */
export interface ExecutorOptions {
  /** Most workers (default: os.availableParallelism()). */
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
  /** ms a task may run; past it the task fails with TaskTimeoutError and its worker is replaced (default: none). */
  taskTimeout?: number;
  /** Tasks posted ahead to one worker (default 64): higher is faster for tiny tasks. */
  window?: number;
  /** Tasks a worker runs before it is replaced by a fresh one (default Infinity; bounds leaks). */
  maxTasksPerWorker?: number;

  // ---- faults: timeouts beyond 2^31 - 1 ms, respawn policy ----
  /** How workers that die before they are ready are replaced (default { retries: 5, backoffMs: 100, maxBackoffMs: 5000 }). */
  respawn?: RespawnOptions;
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
 * Validates executor options and fills in defaults (extension API).
 *
 * @example
 * ```ts
 * const settings = resolveExecutorOptions({ maxWorkers: 2 });
 * settings.window; // 64
 * ```
 */
export function resolveExecutorOptions(options: ExecutorOptions = {}): CoreSettings & {
  whenFull: "reject" | "wait";
} {
  if (typeof options !== "object" || options === null) {
    throw new PoolOptionError("executor options must be an object such as { maxWorkers: 4 }");
  }
  const maxWorkers = count("maxWorkers", options.maxWorkers, 1, Math.max(1, availableParallelism()));
  if (maxWorkers === Number.POSITIVE_INFINITY) throw new PoolOptionError("maxWorkers must be finite");
  const minWorkers = count("minWorkers", options.minWorkers, 0, 0);
  if (minWorkers > maxWorkers) {
    throw new PoolOptionError(`minWorkers (${minWorkers}) must not exceed maxWorkers (${maxWorkers})`);
  }
  const idleTimeout = count("idleTimeout", options.idleTimeout, 0, 30_000);
  const maxQueue = count("maxQueue", options.maxQueue, 1, Number.POSITIVE_INFINITY);
  // ---- faults: any timeout checkTimeout accepts (Infinity or 0: no limit) ----
  const taskTimeoutMs =
    options.taskTimeout === undefined ? 0 : checkTimeout("taskTimeout", options.taskTimeout);
  const taskTimeout = taskTimeoutMs === Number.POSITIVE_INFINITY ? 0 : taskTimeoutMs;
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
    window,
    maxTasksPerWorker,
    whenFull,
    initializer,
    initArgs: [...initArgs],
    respawn,
  };
}
