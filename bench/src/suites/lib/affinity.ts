// Thread placement for suites that fix where each thread runs (Linux: /proc and util-linux's taskset).
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";

/** CPUs of the "one CPU per side" layout: the main thread on the first, every worker thread on the second. */
const MAIN_CPU = 0;
const WORKER_CPU = 1;

/** Pins one thread of this process (by its kernel thread id; the main thread's is the pid) to one CPU. */
function pinThread(tid: number, cpu: number): void {
  // cpus(), not availableParallelism(): the latter counts the calling thread's CPUs, 1 once it is pinned.
  if (cpus().length <= Math.max(MAIN_CPU, WORKER_CPU)) {
    throw new Error(`this suite puts threads on CPUs ${MAIN_CPU} and ${WORKER_CPU}: it needs 2 CPUs`);
  }
  try {
    execFileSync("taskset", ["-p", "-c", String(cpu), String(tid)], { stdio: "ignore" });
  } catch (err) {
    throw new Error(`pinning thread ${tid} needs Linux's taskset (util-linux): ${(err as Error).message}`);
  }
}

/** Pins the main thread to MAIN_CPU. */
export function pinMainThread(): void {
  pinThread(process.pid, MAIN_CPU);
}

/** Pins each worker thread (kernel thread ids, as `threadId()` in tasks.mjs reports them) to WORKER_CPU. */
export function pinWorkers(tids: number[], expected: number): void {
  const distinct = new Set(tids);
  if (distinct.size !== expected) {
    throw new Error(`expected ${expected} distinct worker threads to pin, got ${[...distinct].join(", ")}`);
  }
  for (const tid of distinct) pinThread(tid, WORKER_CPU);
}
