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

/**
 * The same job done synchronously: a CPU-bound loop that never yields to the worker's event loop, so no
 * `abort` event can reach it. It polls `currentTask().stopRequested` instead (one read of memory the pool
 * shares with the worker, set the moment the pool asks the task to stop) and, asked, returns what it has
 * done so far: a finished task's result wins, so its future gets the partial count and its worker stays.
 * (`task.throwIfStopRequested()` would instead end the future with the caller's reason.)
 */
export function crunch(steps: number, progress: Int32Array): { done: number; stopped: boolean } {
  const task = currentTask();
  for (let i = 0; i < steps; i++) {
    if (task.stopRequested) return { done: i, stopped: true };
    for (let k = 0; k < 100_000; k++) checksum = (checksum * 31 + k) | 0; // one step of real work
    Atomics.store(progress, 0, i + 1);
  }
  return { done: steps, stopped: false };
}
let checksum = 0;

/** The worker thread's id: the same for every task that runs on one worker. */
export function workerId(): number {
  return threadId;
}
