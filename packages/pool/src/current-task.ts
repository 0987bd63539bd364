import { NotInTaskError } from "./errors.js";
import { provideToFunctionTargets } from "./worker-interop.js";

/**
 * What a pool task can ask about itself while it runs, from {@link currentTask}.
 *
 * @example
 * ```ts
 * export async function crawl(urls: string[]) {
 *   const { signal } = currentTask();
 *   for (const url of urls) await fetch(url, { signal });
 * }
 * ```
 */
export interface RunningTask {
  /**
   * Aborts when the executor asks this task to stop: its future's signal aborted, its `timeout` or the
   * executor's `taskTimeout` expired, `shutdown({ cancelFutures: true })` or `terminateWorkers()` was
   * called. `signal.reason` is an Error named "AbortError", "TimeoutError" or "CancelledError". The task
   * should end soon after (return or throw): its future then fails with the executor's reason and its worker
   * stays. A task still running `killAfter` ms later has its worker stopped. JavaScript that never yields to
   * the event loop (a synchronous loop) cannot see the abort: check `signal.aborted` between awaits.
   */
  readonly signal: AbortSignal;
}

/** The worker's task server, which knows the task it is running. */
export interface RunningTaskSource {
  current(): RunningTask | null;
}

// One source per worker, reachable whichever copy of @weft/pool (ESM or CJS) the task module imported.
const SOURCE = Symbol.for("@weft/pool.runningTaskSource");

/** Makes `source` answer {@link currentTask} in this worker (the task server calls it once). */
export function setRunningTaskSource(source: RunningTaskSource): void {
  (globalThis as Record<symbol, unknown>)[SOURCE] = source;
}

/**
 * The pool task running now on this worker (a thread of ThreadPoolExecutor or a child of
 * ProcessPoolExecutor), for module tasks and self-contained functions alike (a function sent as source may
 * call `currentTask()` without importing it: the worker provides the name). Call it synchronously in the
 * task, or after awaits inside it: a worker runs one task at a time. Throws NotInTaskError elsewhere (on the
 * main thread, in a worker's initializer, or in a callback that runs after the task ended).
 *
 * @example
 * ```ts
 * import { currentTask } from "@weft/pool";
 * export async function work(n: number) {
 *   const { signal } = currentTask();
 *   for (let i = 0; i < n; i++) {
 *     signal.throwIfAborted();
 *     await step(i);
 *   }
 * }
 * ```
 */
export function currentTask(): RunningTask {
  const source = (globalThis as Record<symbol, unknown>)[SOURCE] as RunningTaskSource | undefined;
  const task = source?.current() ?? null;
  if (task === null) throw new NotInTaskError();
  return task;
}

// Self-contained function targets may name it (see provideToFunctionTargets): accepted when the function is
// described, bound when it is evaluated in the worker.
provideToFunctionTargets("currentTask", currentTask);
