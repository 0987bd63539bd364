import type { ResourceLimits } from "node:worker_threads";
import { Executor } from "./executor.js";
import { type ExecutorOptions, splitThreadPoolOptions } from "./options.js";
import { ThreadTransport } from "./thread-transport.js";

/**
 * Options of {@link ThreadPoolExecutor}: the executor options plus worker-thread settings. An unknown key is
 * a PoolOptionError naming the nearest valid one.
 *
 * @example
 * ```ts
 * const options: ThreadPoolOptions = { maxWorkers: 4, resourceLimits: { maxOldGenerationSizeMb: 256 } };
 * ```
 */
export interface ThreadPoolOptions extends ExecutorOptions {
  /** V8 heap limits of each worker; a worker that exceeds them dies and only its running task fails. */
  resourceLimits?: ResourceLimits;
  /**
   * Prefix of the worker threads' names (Python's `thread_name_prefix`): worker threads are named `NAME_0`,
   * `NAME_1`, ..., which is also `currentThread().name` inside their tasks. Default (also for an empty
   * string, as in Python) `ThreadPoolExecutor-N`, N counting the pools created in this thread from 0.
   */
  name?: string;
  /**
   * The pool worker entry to run (an absolute path or `file:` URL of `pool-worker.js`, from
   * `@weft/pool/worker`), for a setup where weft cannot find it by itself (see the Bundling pages of the docs).
   * Default: found beside this package's module, emitted by the bundler, or beside the main script.
   */
  workerEntry?: string | URL;
}

/** Pools created so far without a name, for their default name (as Python counts them). */
let pools = 0;

/**
 * Python's `concurrent.futures.ThreadPoolExecutor` over worker threads: run functions in parallel, get
 * {@link Future}s back. Tasks are pipelined to workers and batched, so tiny tasks cost little; a worker that
 * crashes fails only the task it was running and is replaced.
 *
 * @example
 * ```ts
 * await using pool = new ThreadPoolExecutor({ maxWorkers: 4 });
 * const a = pool.submit(fetchUrl, "http://127.0.0.1:8080/a");
 * const b = pool.submit(fetchUrl, "http://127.0.0.1:8080/b");
 * console.log(await a, await b);
 * ```
 */
export class ThreadPoolExecutor extends Executor {
  constructor(options: ThreadPoolOptions = {}) {
    const { executor, resourceLimits, name, workerEntry } = splitThreadPoolOptions(options ?? {});
    const transport = new ThreadTransport({
      resourceLimits,
      // As Python's thread_name_prefix="": an empty name is no name.
      name: name === undefined || name === "" ? `ThreadPoolExecutor-${pools++}` : name,
      entry: workerEntry,
    });
    super(transport, executor);
  }
}
