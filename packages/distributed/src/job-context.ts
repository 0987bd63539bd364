/**
 * What a task running on a {@link serveQueue} worker can learn about its job through {@link currentJob}.
 *
 * @example
 * ```ts
 * const job: JobInfo | undefined = currentJob();
 * ```
 */
export interface JobInfo {
  /** The BullMQ job id (the future's `jobId` on the producer). */
  readonly id: string;
  /** 1 on the first attempt, 2 on the first retry, ... (a stalled job that is run again counts too). */
  readonly attempt: number;
  /**
   * Aborted when the producer cancels the job (its AbortSignal, `shutdown({ cancelFutures })`), when the
   * task's timeout passes, or when the worker is closed with `force`. Pass it to fetch, streams, timers.
   */
  readonly signal: AbortSignal;
}

// Set only while a task's synchronous part runs. An AsyncLocalStorage would follow the task across awaits,
// but on Node 20 it turns on promise hooks for the whole worker, which slows every job (BullMQ's own
// promises included); a task reads its job once, at the start.
let current: JobInfo | undefined;

/**
 * The job the calling task runs for, when called in the synchronous part of a task that a `serveQueue`
 * worker (or `weft-worker`) runs in its own process, that is before the task's first `await`: keep what it
 * returns. Elsewhere (after an await, outside a task, in a thread or process pool behind the worker, where
 * the pool stops an aborted task itself) it returns undefined, never another job's.
 *
 * @example
 * ```ts
 * export async function download(url: string): Promise<number> {
 *   const job = currentJob(); // first, before any await
 *   const res = await fetch(url, { signal: job?.signal });
 *   return (await res.arrayBuffer()).byteLength;
 * }
 * ```
 */
export function currentJob(): JobInfo | undefined {
  return current;
}

/** @internal Runs the synchronous part of `fn` as the task of `job`. */
export function runAsJob<T>(job: JobInfo, fn: () => T): T {
  const outer = current;
  current = job;
  try {
    return fn();
  } finally {
    current = outer;
  }
}
