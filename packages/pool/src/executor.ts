import { ExecutorCore, type TaskOptions } from "./core.js";
import { PoolOptionError, QueueFullError, TimeoutError } from "./errors.js";
import type { Future } from "./future.js";
import type { ModuleTarget } from "./interop.js";
import { type ExecutorOptions, resolveExecutorOptions } from "./options.js";
import { FLAG_CHUNK } from "./protocol.js";
import type { Transport } from "./transport.js";

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

/** Options of {@link Executor.map}. */
export interface MapOptions {
  /** Items sent to a worker in one message (default 1). Raise it for many small items. */
  chunksize?: number;
  /** ms from the call after which a result that is not ready throws {@link TimeoutError}. */
  timeout?: number;
}

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
    if (typeof options !== "object" || options === null) {
      throw new PoolOptionError("submitWith(options, fn, ...args): options must be an object");
    }
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
   * Python's `Executor.map`: calls `fn(item)` for every item on the workers and yields the results in input
   * order. Items are pulled lazily and only a bounded number run ahead, so an endless or huge iterable is
   * fine. `chunksize` sends items in groups (faster for tiny items). A failed item throws from the iterator;
   * breaking out cancels what has not started.
   *
   * @example
   * ```ts
   * for await (const n of pool.map((x: number) => x * x, [1, 2, 3], { chunksize: 2 })) console.log(n);
   * ```
   */
  map<T, R>(
    fn: (item: T) => R,
    items: Iterable<T> | AsyncIterable<T>,
    options?: MapOptions,
  ): AsyncGenerator<Awaited<R>, void, undefined>;
  map<F extends (item: any) => unknown>(
    target: TypedModuleTarget<F>,
    items: Iterable<Parameters<F>[0]> | AsyncIterable<Parameters<F>[0]>,
    options?: MapOptions,
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined>;
  map(
    target: TaskFunction | ModuleTarget,
    items: Iterable<unknown> | AsyncIterable<unknown>,
    options: MapOptions = {},
  ): AsyncGenerator<unknown, void, undefined> {
    const core = this.#core;
    core.checkOpen();
    const chunksize = options.chunksize ?? 1;
    if (!Number.isInteger(chunksize) || chunksize < 1) {
      throw new PoolOptionError(`chunksize must be an integer >= 1, got ${String(options.chunksize)}`);
    }
    const timeout = options.timeout;
    if (timeout !== undefined && !(timeout >= 0)) {
      throw new PoolOptionError(`timeout must be ms >= 0, got ${String(timeout)}`);
    }
    if (
      items === null ||
      typeof items !== "object" ||
      (!(Symbol.iterator in items) && !(Symbol.asyncIterator in items))
    ) {
      throw new PoolOptionError("map(fn, items): items must be an iterable or async iterable");
    }
    const index = core.targetIndex(target);
    const ahead = Math.max(2, Math.ceil((this.#maxWorkers * this.#window) / chunksize));
    return mapGenerator(core, index, items, chunksize, timeout, ahead);
  }

  /**
   * Stops accepting tasks. By default waits until every accepted task is done and every worker has exited;
   * `cancelFutures` cancels the tasks that have not started.
   *
   * @example
   * ```ts
   * await pool.shutdown({ cancelFutures: true });
   * ```
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    return this.#core.shutdown(options.wait ?? true, options.cancelFutures ?? false);
  }

  /**
   * Python 3.14's `terminate_workers()`: shuts down now. Tasks that have not started are cancelled; every
   * worker is stopped at once (worker threads are terminated, child processes get SIGTERM), so running
   * tasks fail with {@link WorkerTerminatedError}, while tasks that had finished keep their results.
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
   * Python 3.14's `kill_workers()`: like {@link Executor.terminateWorkers}, with SIGKILL for child processes
   * (which a child cannot catch or delay).
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

async function* mapGenerator(
  core: ExecutorCore,
  index: number,
  items: Iterable<unknown> | AsyncIterable<unknown>,
  chunksize: number,
  timeout: number | undefined,
  ahead: number,
): AsyncGenerator<unknown, void, undefined> {
  const deadline = timeout === undefined ? undefined : performance.now() + timeout;
  const isAsync = Symbol.asyncIterator in items;
  const it = isAsync
    ? (items as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : (items as Iterable<unknown>)[Symbol.iterator]();
  const pending: Future<unknown>[] = [];
  let head = 0;
  let exhausted = false;
  try {
    while (true) {
      while (!exhausted && pending.length - head < ahead) {
        const chunk: unknown[] = [];
        while (chunk.length < chunksize) {
          const step = isAsync
            ? await (it as AsyncIterator<unknown>).next()
            : (it as Iterator<unknown>).next();
          if (step.done) {
            exhausted = true;
            break;
          }
          chunk.push(step.value);
        }
        if (chunk.length === 0) break;
        while (core.full) await core.waitForRoom();
        core.checkOpen();
        pending.push(
          chunksize === 1 ? core.enqueue(index, chunk, 0) : core.enqueue(index, chunk, FLAG_CHUNK),
        );
      }
      if (head === pending.length) return;
      const f = pending[head]!;
      pending[head++] = undefined as unknown as Future<unknown>;
      let value: unknown;
      if (deadline === undefined) value = await f;
      else {
        const left = deadline - performance.now();
        if (left <= 0 && !f.done()) throw new TimeoutError(`map: results not ready within ${timeout} ms`);
        value = await f.result({ timeout: Math.max(0, left) });
      }
      if (chunksize === 1) yield value;
      else yield* value as unknown[];
      if (head > 1024 && head * 2 > pending.length) {
        pending.splice(0, head);
        head = 0;
      }
    }
  } finally {
    for (let i = head; i < pending.length; i++) pending[i]!.cancel();
    if (!exhausted) await it.return?.();
  }
}
