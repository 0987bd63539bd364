import { Executor, type ShutdownOptions } from "@weft/pool";
import { ForkTransport } from "./fork-transport.js";
import { type ProcessPoolOptions, splitOptions } from "./options.js";
import { trackInThread, untrack } from "./thread-end.js";

/**
 * Python's `concurrent.futures.ProcessPoolExecutor`: runs functions in separate Node processes (every core,
 * no shared heap), with the same `Future`, `asCompleted`, `wait`, `map` and options as @weft/pool's
 * ThreadPoolExecutor. Children are `child_process.fork`ed with advanced (structured clone) serialization;
 * tasks are pipelined and batched like the thread pool's. A child that dies (SIGKILL, process.exit, out of
 * memory) fails only the tasks it had been sent with {@link BrokenProcessError} and is replaced; a task past
 * its `taskTimeout` (or whose signal aborts) is asked to stop through its `currentTask().signal`, and its child
 * is killed and replaced only if it has not ended within `killAfter`; children exit when this process dies; their
 * stdout/stderr are forwarded. A pool created in a worker thread and never shut down is ended with that thread
 * (shut down if idle, else its children killed), which waits until its children have exited. Arguments that cannot reach a child (functions, class instances,
 * SharedArrayBuffers and views over them, primitives in thread-only memory: place them in @weft/native shared
 * memory instead) throw a MarshalError at submit, naming their path (`args[1].buffer`; in a map, `items[3]`
 * or `iterables[1][3]`). A `transfer` list is accepted but copies: processes share no memory.
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
    super(new ForkTransport(fork), executor);
    trackInThread(this);
  }

  /** {@inheritDoc Executor.shutdown} */
  override shutdown(options?: ShutdownOptions): Promise<void> {
    untrack(this);
    return super.shutdown(options);
  }

  /** {@inheritDoc Executor.terminateWorkers} */
  override terminateWorkers(): Promise<void> {
    untrack(this);
    return super.terminateWorkers();
  }

  /** {@inheritDoc Executor.killWorkers} */
  override killWorkers(): Promise<void> {
    untrack(this);
    return super.killWorkers();
  }
}
