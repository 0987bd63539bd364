// Measurements shared by suites: a throughput and a sequential per-task latency.

/** Tasks per second: `n` tasks that `submitAll` submits and awaits. */
export async function rate(n: number, submitAll: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await submitAll();
  return n / ((performance.now() - t0) / 1000);
}

/** Microseconds per task: `run` awaited `n` times in a row. */
export async function perTask(n: number, run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await run();
  return ((performance.now() - t0) * 1000) / n;
}
