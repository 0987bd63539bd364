// Task module of recipe 12.7: a long job that stops cleanly when the pool asks it to.
import { threadId } from "node:worker_threads";
import { currentTask } from "@weft/pool";

/**
 * Works through `steps` steps, recording each in `progress[0]`. Between steps it checks the signal the pool
 * gives the running task; once it is aborted it undoes the step it was in (here: nothing to undo) and throws
 * the reason, so its future fails with the caller's reason and its worker stays.
 */
export async function longJob(steps: number, progress: Int32Array): Promise<number> {
  const { signal } = currentTask();
  for (let i = 0; i < steps; i++) {
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 10)); // one step of real work would go here
    Atomics.store(progress, 0, i + 1);
  }
  return steps;
}

/** The worker thread's id: the same for every task that runs on one worker. */
export function workerId(): number {
  return threadId;
}
