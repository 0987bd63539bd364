// Task functions shared by every contender of pool.bench.ts (each peer wraps them in its own worker file).
import { readlinkSync } from "node:fs";
export function noop(x) {
  return x;
}

/** Returns the buffer it was given (moved both ways by every contender). */
export function echo(buf) {
  return buf;
}

/** Busy-waits `ms` milliseconds: a CPU-bound task. */
export function spin(ms) {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x++;
  return x;
}

/**
 * The kernel id of the thread running this task (Linux), after busy-waiting `holdMs` so that tasks
 * submitted together land on different workers: lets a suite pin each worker thread to a CPU.
 */
export function threadId(holdMs) {
  spin(holdMs);
  return Number(readlinkSync("/proc/thread-self").split("/").pop());
}
