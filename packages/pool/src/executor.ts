import { ExecutorCore, type TaskOptions } from "./core.js";
import { QueueFullError } from "./errors.js";
import type { Future } from "./future.js";
import type { ModuleTarget } from "./interop.js";
import { iteratorsOf, LiveMaps, type MapOptions, MapRun, mapResults, mapSettings } from "./map-run.js";
import {
  checkShutdownOptions,
  checkTaskOptions,
  type ExecutorOptions,
  resolveExecutorOptions,
} from "./options.js";
import type { Transport } from "./transport.js";

export type { MapOptions } from "./map-run.js";

/** Any function a task may run. */
export type TaskFunction = (...args: any[]) => unknown;

declare const taskType: unique symbol;

/**
 * A {@link ModuleTarget} that also carries the type of the exported function, so `submit` can check the
 * arguments and type the result. Make one with {@link moduleTask}.
 *
 * @example
 * ```ts
 * const fetchUrl: TypedModuleTarget<typeof import("./tasks/fetch.js").fetchUrl> =
 *   moduleTask(new URL("./tasks/fetch.js", import.meta.url), "fetchUrl");
 * ```
 */
export interface TypedModuleTarget<F extends TaskFunction> extends ModuleTarget {
  /** @internal */
  readonly [taskType]?: F;
}

/**
 * Names a function exported by a module, typed by its signature: the module is imported inside each worker
 * (any code, imports and closures included), and `submit` infers arguments and result from `F`.
 *
 * @example
 * ```ts
 * import type { fetchUrl } from "./tasks/fetch.js";
 * const task = moduleTask<typeof fetchUrl>(new URL("./tasks/fetch.js", import.meta.url), "fetchUrl");
 * const body = await pool.submit(task, "http://127.0.0.1:8080/"); // string
 * ```
 */
export function moduleTask<F extends TaskFunction>(
  module: string | URL,
  exportName = "default",
): TypedModuleTarget<F> {
  return { module, export: exportName };
}

/**
 * The iterables {@link Executor.map} takes for a function of parameters `A`: one iterable (or async iterable)
 * per parameter, whose elements are that parameter's type.
 *
 * @example
 * ```ts
 * type I = MapIterables<[x: number, label: string]>; // [Iterable<number> | AsyncIterable<number>, Iterable<string> | ...]
 * ```
 */
export type MapIterables<A extends readonly unknown[]> = {
  [K in keyof A]: Iterable<A[K]> | AsyncIterable<A[K]>;
};

/** Options of {@link Executor.shutdown}. */
export interface ShutdownOptions {
  /** Wait until every accepted task is done and the workers have exited (default true). */
  wait?: boolean;
  /** Cancel every task that has not started (default false). */
  cancelFutures?: boolean;
}

/**
 * The argument list a task target takes: a function's parameters, or a typed module target's
 * (extension API, for executors that wrap `submitWith`).
 *
 * @example
 * ```ts
 * type A = TaskArgs<(a: number, b: string) => void>; // [a: number, b: string]
 * ```
 */
export type TaskArgs<T> = T extends (...args: infer A) => unknown
  ? A
  : T extends TypedModuleTarget<infer F>
    ? Parameters<F>
    : unknown[];
/**
 * What a task target's future resolves to: the awaited return type of the function or typed module target.
 *
 * @example
 * ```ts
 * type R = TaskResult<(url: string) => Promise<string>>; // string
 * ```
 */
export type TaskResult<T> = T extends (...args: any[]) => infer R
  ? Awaited<R>
  : T extends TypedModuleTarget<infer F>
    ? Awaited<ReturnType<F>>
    : unknown;

/**
 * Python's `concurrent.futures.Executor` over any {@link Transport} (extension API): the typed `submit`,
 * `submitWith`, `run`, `map`, `shutdown` and disposal. {@link ThreadPoolExecutor} is this over worker
 * threads; @weft/process-pool's ProcessPoolExecutor is this over child processes.
 *
 * @example
 * ```ts
 * class ProcessPoolExecutor extends Executor {
 *   constructor(options: ExecutorOptions = {}) {
 *     super(new ForkTransport(), options);
 *   }
 * }
 * ```
 */
export class Executor implements AsyncDisposable, Disposable {
  readonly #core: ExecutorCore;
  readonly #whenFull: "reject" | "wait";
  readonly #maxWorkers: number;
  readonly #window: number;
  readonly #maxQueue: number;
  readonly #maps = new LiveMaps();

  constructor(transport: Transport, options: ExecutorOptions = {}) {
    const settings = resolveExecutorOptions(options);
    this.#core = new ExecutorCore(transport, settings);
    this.#whenFull = settings.whenFull;
    this.#maxWorkers = settings.maxWorkers;
    this.#window = settings.window;
    this.#maxQueue = settings.maxQueue;
  }

  /** Live workers, tasks waiting for one, and tasks posted to workers. */
  get stats(): { workers: number; queued: number; inflight: number } {
    return this.#core.stats;
  }

  /**
   * Schedules `fn(...args)` on a worker and returns its {@link Future}. `fn` is a self-contained function
   * (sent as source; referring to an outer variable throws ClosureError) or a module target (see
   * {@link moduleTask}). Arguments are copied (structured clone plus weft primitives such as Lock, which are
   * shared); wrap ArrayBuffers in `transfer()` to move them. Throws ShutdownError after shutdown and
   * QueueFullError when `maxQueue` tasks wait.
   *
   * @example
   * ```ts
   * const f = pool.submit((a: number, b: number) => a * b, 6, 7); // Future<number>
   * console.log(await f); // 42
   * ```
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>>;
  submit<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...args: Parameters<F>
  ): Future<Awaited<ReturnType<F>>>;
  submit(target: TaskFunction | ModuleTarget, ...args: unknown[]): Future<unknown> {
    return this.#core.submit(target, args);
  }

  /**
   * Like {@link Executor.submit} with per-task options: an AbortSignal, a timeout, a transfer list.
   *
   * @example
   * ```ts
   * const ac = new AbortController();
   * const f = pool.submitWith({ signal: ac.signal, transfer: [buf] }, hash, buf);
   * ```
   */
  submitWith<T extends TaskFunction | TypedModuleTarget<TaskFunction> | ModuleTarget>(
    options: TaskOptions,
    target: T,
    ...args: TaskArgs<T>
  ): Future<TaskResult<T>> {
    checkTaskOptions(options);
    return this.#core.submit(target, args, options) as Future<TaskResult<T>>;
  }

  /**
   * Submits and awaits the result, respecting `whenFull`: with "wait" it first waits for room in a full
   * queue (so a producer never holds more than maxQueue tasks), with "reject" it rejects with QueueFullError.
   *
   * @example
   * ```ts
   * const pool = new ThreadPoolExecutor({ maxQueue: 100, whenFull: "wait" });
   * for (const item of items) results.push(pool.run(work, item)); // waits whenever 100 are queued
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  run<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...args: Parameters<F>
  ): Promise<Awaited<ReturnType<F>>>;
  async run(target: TaskFunction | ModuleTarget, ...args: unknown[]): Promise<unknown> {
    while (this.#core.full) {
      if (this.#whenFull === "reject") throw new QueueFullError(this.#maxQueue);
      await this.#core.waitForRoom();
    }
    return this.#core.submit(target, args);
  }

  /**
   * Resolves when the queue has room for a task (at once unless `maxQueue` tasks wait).
   *
   * @example
   * ```ts
   * await pool.ready();
   * pool.submit(work, item); // does not throw QueueFullError
   * ```
   */
  ready(): Promise<void> {
    return this.#core.waitForRoom();
  }

  /**
   * Python's `Executor.map(fn, *iterables)`: calls `fn(a, b, ...)` on the workers with one element from each
   * iterable (zipped; stops at the shortest) and yields the results in input order. The first calls are
   * submitted at once, the rest as results are taken, a bounded number ahead (`buffersize`), so an endless or
   * huge iterable is fine; sync and async iterables mix. A failed call throws from the iterator at its
   * position; breaking out cancels what has not started. Options (chunksize, timeout, buffersize) go first,
   * in {@link Executor.mapWith}. A map that exists when `shutdown()` is called still delivers every result
   * (it submits the rest then).
   *
   * @example
   * ```ts
   * for await (const n of pool.map((x: number) => x * x, [1, 2, 3])) console.log(n); // 1 4 9
   * for await (const s of pool.map((x: number, y: number) => x + y, [1, 2, 3], [10, 20])) console.log(s); // 11 22
   * ```
   */
  map<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...iterables: MapIterables<A>
  ): AsyncGenerator<Awaited<R>, void, undefined>;
  map<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...iterables: MapIterables<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined>;
  map(
    target: TaskFunction | ModuleTarget,
    ...iterables: unknown[]
  ): AsyncGenerator<unknown, void, undefined> {
    return this.#startMap("map", 2, {}, target, iterables);
  }

  /**
   * {@link Executor.map} with options first: `chunksize` sends that many calls per message (faster for tiny
   * items), `timeout` (ms from this call) makes the iterator throw TimeoutError when a result is late and
   * cancels that call and every later one, `buffersize` bounds how many calls are submitted ahead of the
   * results taken.
   *
   * @example
   * ```ts
   * for await (const n of pool.mapWith({ chunksize: 64, timeout: 10_000 }, (x: number) => x * x, numbers)) {
   *   console.log(n);
   * }
   * ```
   */
  mapWith<A extends unknown[], R>(
    options: MapOptions,
    fn: (...args: A) => R,
    ...iterables: MapIterables<A>
  ): AsyncGenerator<Awaited<R>, void, undefined>;
  mapWith<F extends TaskFunction>(
    options: MapOptions,
    target: TypedModuleTarget<F>,
    ...iterables: MapIterables<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined>;
  mapWith(
    options: MapOptions,
    target: TaskFunction | ModuleTarget,
    ...iterables: unknown[]
  ): AsyncGenerator<unknown, void, undefined> {
    return this.#startMap("mapWith", 3, options, target, iterables);
  }

  #startMap(
    who: string,
    firstIterable: number,
    options: MapOptions,
    target: unknown,
    iterables: unknown[],
  ): AsyncGenerator<unknown, void, undefined> {
    const core = this.#core;
    core.checkOpen();
    const settings = mapSettings(who, options);
    const index = core.targetIndex(target);
    const iterators = iteratorsOf(who, iterables, firstIterable);
    const ahead =
      settings.buffersize ?? Math.max(2, Math.ceil((this.#maxWorkers * this.#window) / settings.chunksize));
    return mapResults(new MapRun(core, index, iterators, settings, ahead, this.#maps));
  }

  /**
   * Stops accepting tasks. By default waits until every accepted task is done and every worker has exited;
   * `cancelFutures` cancels the tasks that have not started. A map iterator created before this call still
   * delivers all its results: it submits its remaining calls now (with `cancelFutures` it submits none, and
   * throws CancelledError where they would have been). With `wait: false` and `cancelFutures`, running tasks
   * no longer keep the process alive (except those whose future is waited for); a call that waits, before
   * or after, makes them keep it alive again until they end, as Python's `shutdown(wait=True)` joins them.
   *
   * @example
   * ```ts
   * await pool.shutdown({ cancelFutures: true });
   * ```
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    checkShutdownOptions(options);
    const cancelFutures = options.cancelFutures ?? false;
    if (!this.#core.isShutdown) this.#maps.shutdown(cancelFutures);
    return this.#core.shutdown(options.wait ?? true, cancelFutures);
  }

  /**
   * Python 3.14's `terminate_workers()`: shuts down now. Tasks that have not started are cancelled; running
   * tasks are asked to stop (their `currentTask().signal` aborts) and every worker is stopped once its task
   * has ended or `killAfter` ms have passed (worker threads are terminated, child processes get SIGTERM), so
   * running tasks fail with {@link WorkerTerminatedError}, while tasks that had finished keep their results.
   * Resolves once every worker has exited. The way to end a task that never returns (one blocked on a
   * lock, an endless loop) without waiting for it.
   *
   * @example
   * ```ts
   * const stuck = pool.submit(waitForever);
   * await pool.terminateWorkers(); // stuck fails with WorkerTerminatedError
   * ```
   */
  terminateWorkers(): Promise<void> {
    return this.#core.stopWorkers("terminate");
  }

  /**
   * Python 3.14's `kill_workers()`: like {@link Executor.terminateWorkers}, but at once (no grace for
   * running tasks), with SIGKILL for child processes (which a child cannot catch or delay).
   *
   * @example
   * ```ts
   * await pool.killWorkers();
   * ```
   */
  killWorkers(): Promise<void> {
    return this.#core.stopWorkers("kill");
  }

  /** `await using pool = new ThreadPoolExecutor()`: shuts down and waits at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /** `using pool = ...`: shuts down without waiting (accepted tasks still run; workers exit after). */
  [Symbol.dispose](): void {
    void this.shutdown({ wait: false });
  }
}
