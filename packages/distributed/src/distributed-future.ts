import { Future } from "@weft/pool";

/** @internal What an executor does when one of its futures is cancelled before its job started. */
export interface CancelHook {
  onCancelled(future: DistributedFuture<unknown>): void;
}

/**
 * The {@link Future} of a task submitted to a {@link DistributedExecutor}: a weft Future in every way
 * (`asCompleted`, `wait`, `addDoneCallback`, `result({ timeout })` mix it with the pools' futures), plus
 * the id of the BullMQ job that carries it.
 *
 * `cancel()` succeeds unless the executor has seen the job start on a worker (`running()`); the job is
 * then removed from the queue, or, if a worker picked it up in the meantime, its task's AbortSignal is
 * aborted on that worker and whatever it returns is ignored.
 *
 * @example
 * ```ts
 * const f = ex.submit(resize, "cat.png");
 * console.log(f.jobId); // e.g. "4f1c2a9e0b3d-17": look it up in a BullMQ dashboard
 * ```
 */
export class DistributedFuture<R> extends Future<R> {
  /** The BullMQ job id (shared by the calls of one map chunk). */
  readonly jobId: string;
  readonly #hook: CancelHook;

  /** @internal */
  constructor(jobId: string, hook: CancelHook) {
    super();
    this.jobId = jobId;
    this.#hook = hook;
  }

  /** Cancels the task unless it is known to run or is done; see the class description. */
  override cancel(): boolean {
    if (this.done()) return this.cancelled();
    if (!super.cancel()) return false;
    this.#hook.onCancelled(this as DistributedFuture<unknown>);
    return true;
  }
}
