import {
  Executor,
  type Future,
  type MapIterables,
  type MapOptions,
  type ModuleTarget,
  type TaskArgs,
  type TaskFunction,
  type TaskOptions,
  type TaskResult,
  type TypedModuleTarget,
} from "@weft/pool";
import { assertCrossable, assertValueCrossable } from "./crossing.js";
import { ForkTransport } from "./fork-transport.js";
import { type ProcessPoolOptions, splitOptions } from "./options.js";

function* checkedItems<T>(items: Iterable<T>, root: string): Generator<T, void, undefined> {
  let i = 0;
  for (const item of items) {
    assertValueCrossable(item, `${root}[${i}]`);
    i++;
    yield item;
  }
}

async function* checkedAsyncItems<T>(
  items: AsyncIterable<T>,
  root: string,
): AsyncGenerator<T, void, undefined> {
  let i = 0;
  for await (const item of items) {
    assertValueCrossable(item, `${root}[${i}]`);
    i++;
    yield item;
  }
}

/**
 * The iterables of a map, each wrapped so that an element that cannot reach a child throws a MarshalError
 * naming it (`items[3].buffer` for one iterable, `iterables[1][3].buffer` for several). A value that is not
 * iterable is passed on as it is, for the executor to reject with its argument number.
 */
function checkedIterables(iterables: readonly unknown[]): unknown[] {
  return iterables.map((items, k) => {
    const root = iterables.length === 1 ? "items" : `iterables[${k}]`;
    if (typeof items !== "object" || items === null) return items;
    if (Symbol.asyncIterator in items) return checkedAsyncItems(items as AsyncIterable<unknown>, root);
    if (Symbol.iterator in items) return checkedItems(items as Iterable<unknown>, root);
    return items;
  });
}

/**
 * Python's `concurrent.futures.ProcessPoolExecutor`: runs functions in separate Node processes (every core,
 * no shared heap), with the same {@link Future}, `asCompleted`, `wait`, `map` and options as @weft/pool's
 * ThreadPoolExecutor. Children are `child_process.fork`ed with advanced (structured clone) serialization;
 * tasks are pipelined and batched like the thread pool's. A child that dies (SIGKILL, process.exit, out of
 * memory) fails only the tasks it had been sent with {@link BrokenProcessError} and is replaced; a task past
 * its `taskTimeout` has its child killed and replaced; children exit when this process dies; their
 * stdout/stderr are forwarded. Arguments that cannot reach a child throw at submit, naming their path.
 *
 * @example
 * ```ts
 * import { ProcessPoolExecutor, moduleTask } from "@weft/process-pool";
 * import type { findRobots } from "./tasks/robots.js";
 * const findRobotsTask = moduleTask<typeof findRobots>(new URL("./tasks/robots.js", import.meta.url), "findRobots");
 * await using pool = new ProcessPoolExecutor({ maxWorkers: 4 });
 * for await (const robots of pool.map(findRobotsTask, files)) all.push(...robots);
 * ```
 */
export class ProcessPoolExecutor extends Executor {
  constructor(options: ProcessPoolOptions = {}) {
    const { executor, fork } = splitOptions(options ?? {});
    if (executor.initArgs !== undefined && Array.isArray(executor.initArgs)) {
      assertCrossable(executor.initArgs, "initArgs");
    }
    super(new ForkTransport(fork), executor);
  }

  /**
   * Schedules `fn(...args)` in a child process and returns its {@link Future} (see @weft/pool's
   * `Executor.submit`). Throws a MarshalError naming the path (e.g. `args[1].buffer`) of an argument that
   * cannot reach another process: functions, class instances, SharedArrayBuffers and views over them,
   * primitives in thread-only memory (place them in @weft/native shared memory instead).
   *
   * @example
   * ```ts
   * const f = pool.submit((n: number) => n * n, 7); // Future<number>
   * console.log(await f); // 49
   * ```
   */
  override submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>>;
  override submit<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...args: Parameters<F>
  ): Future<Awaited<ReturnType<F>>>;
  override submit(target: TaskFunction | ModuleTarget, ...args: unknown[]): Future<unknown> {
    assertCrossable(args, "args");
    return super.submit(target as TaskFunction, ...args);
  }

  /**
   * Like {@link ProcessPoolExecutor.submit} with per-task options (an AbortSignal, a timeout). A `transfer`
   * list is accepted but copies: processes share no memory.
   *
   * @example
   * ```ts
   * const f = pool.submitWith({ timeout: 1000 }, crunch, data); // its child is killed after 1 s
   * ```
   */
  override submitWith<T extends TaskFunction | TypedModuleTarget<TaskFunction> | ModuleTarget>(
    options: TaskOptions,
    target: T,
    ...args: TaskArgs<T>
  ): Future<TaskResult<T>> {
    assertCrossable(args, "args");
    return super.submitWith(options, target, ...args);
  }

  /**
   * Submits and awaits, waiting for room in a full queue with `whenFull: "wait"` (see @weft/pool).
   *
   * @example
   * ```ts
   * const n = await pool.run((a: number, b: number) => a + b, 1, 2); // 3
   * ```
   */
  override run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  override run<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...args: Parameters<F>
  ): Promise<Awaited<ReturnType<F>>>;
  override run(target: TaskFunction | ModuleTarget, ...args: unknown[]): Promise<unknown> {
    try {
      assertCrossable(args, "args");
    } catch (err) {
      return Promise.reject(err);
    }
    return super.run(target as TaskFunction, ...args);
  }

  /**
   * Python's `Executor.map(fn, *iterables)` over child processes (see @weft/pool's `Executor.map`): results
   * in input order, items pulled lazily; an element that cannot reach a child throws from the iterator,
   * naming it (`items[3].buffer`, or `iterables[1][3].buffer` with several iterables).
   *
   * @example
   * ```ts
   * for await (const n of pool.map((x: number, y: number) => x * y, [1, 2, 3], [4, 5, 6])) console.log(n);
   * ```
   */
  override map<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...iterables: MapIterables<A>
  ): AsyncGenerator<Awaited<R>, void, undefined>;
  override map<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...iterables: MapIterables<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined>;
  override map(
    target: TaskFunction | ModuleTarget,
    ...iterables: unknown[]
  ): AsyncGenerator<unknown, void, undefined> {
    return super.map(target as TaskFunction, ...(checkedIterables(iterables) as []));
  }

  /**
   * {@link ProcessPoolExecutor.map} with options first (`chunksize`: calls per message to a child;
   * `timeout`: see @weft/pool's `Executor.mapWith`).
   *
   * @example
   * ```ts
   * for await (const n of pool.mapWith({ chunksize: 64 }, (x: number) => x * x, numbers)) console.log(n);
   * ```
   */
  override mapWith<A extends unknown[], R>(
    options: MapOptions,
    fn: (...args: A) => R,
    ...iterables: MapIterables<A>
  ): AsyncGenerator<Awaited<R>, void, undefined>;
  override mapWith<F extends TaskFunction>(
    options: MapOptions,
    target: TypedModuleTarget<F>,
    ...iterables: MapIterables<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined>;
  override mapWith(
    options: MapOptions,
    target: TaskFunction | ModuleTarget,
    ...iterables: unknown[]
  ): AsyncGenerator<unknown, void, undefined> {
    return super.mapWith(options, target as TaskFunction, ...(checkedIterables(iterables) as []));
  }
}
