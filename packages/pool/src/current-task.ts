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
   * stays. A task still running `killAfter` ms later has its worker stopped.
   *
   * The `abort` event comes through the worker's event loop, so a synchronous loop never gets it; but where
   * the executor shares memory with the worker (the thread pool; the process pool with `@weft/native`),
   * reading `signal.aborted` or `signal.reason`, or calling `signal.throwIfAborted()`, first checks the stop
   * request in shared memory and aborts the signal then. Checked that way before the request's message came,
   * the reason's message names only the kind of stop. See {@link RunningTask.stopRequested}.
   *
   * A task asked to stop before it first reads `signal` (it can be asked as soon as it has started) gets a
   * signal that has aborted already, and an `abort` event never comes again: check `signal.aborted` (or call
   * `signal.throwIfAborted()`) before waiting for the event.
   */
  readonly signal: AbortSignal;
  /**
   * True once the executor has asked this task to stop (for the reasons {@link RunningTask.signal} gives),
   * readable synchronously: a CPU-bound loop polls it between steps without ever yielding. Where the executor
   * shares memory with the worker (the thread pool; the process pool with `@weft/native` and `sharedSlots`
   * on) it is one atomic load of a word the executor writes as it asks, and allocates nothing. Without shared
   * memory (the process pool without `@weft/native`, or `sharedSlots: false`) the request comes only as a
   * message: `stopRequested` turns true once the child's event loop has handled it, so a task that never
   * yields never sees it and has its worker stopped after `killAfter`.
   *
   * @example
   * ```ts
   * export function sumPrimes(limit: number) {
   *   const task = currentTask();
   *   let sum = 0;
   *   for (let n = 2; n < limit; n++) {
   *     if ((n & 0xffff) === 0 && task.stopRequested) return { partial: true, sum };
   *     if (isPrime(n)) sum += n;
   *   }
   *   return { partial: false, sum };
   * }
   * ```
   */
  readonly stopRequested: boolean;
  /**
   * Throws the signal's reason (a DOMException named "AbortError", "TimeoutError" or "CancelledError") when
   * {@link RunningTask.stopRequested} is true, else does nothing. Let it propagate: the future then fails with
   * the executor's own reason (the abort reason, a TaskTimeoutError, a CancelledError) and the worker stays.
   *
   * @example
   * ```ts
   * export function crunch(rows: number[][]) {
   *   const task = currentTask();
   *   return rows.map((row) => {
   *     task.throwIfStopRequested();
   *     return row.reduce((a, b) => a + b, 0);
   *   });
   * }
   * ```
   */
  throwIfStopRequested(): void;
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
 * main thread, in a worker's initializer, or in a callback that runs after the task ended). A synchronous
 * task polls `currentTask().stopRequested` (or calls `throwIfStopRequested()`) to stop early.
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
 *
 * // synchronous: never yields, yet stops when asked
 * export function spin(steps: number) {
 *   const task = currentTask();
 *   for (let i = 0; i < steps; i++) {
 *     task.throwIfStopRequested();
 *     step(i);
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
