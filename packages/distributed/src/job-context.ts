import { AsyncLocalStorage } from "node:async_hooks";

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

const storage = new AsyncLocalStorage<JobInfo>();

/**
 * The job the calling task runs for, inside a task that a `serveQueue` worker (or `weft-worker`) runs in
 * its own process; undefined elsewhere. In a thread or process pool behind the worker, the pool stops the
 * task instead when the job is aborted.
 *
 * @example
 * ```ts
 * export async function download(url: string): Promise<number> {
 *   const res = await fetch(url, { signal: currentJob()?.signal });
 *   return (await res.arrayBuffer()).byteLength;
 * }
 * ```
 */
export function currentJob(): JobInfo | undefined {
  return storage.getStore();
}

/** @internal Runs `fn` as the task of `job`. */
export function runAsJob<T>(job: JobInfo, fn: () => T): T {
  return storage.run(job, fn);
}
