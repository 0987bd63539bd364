// The task module the weft-worker processes of recipe 12.8 (across machines) serve: only the functions
// exported here can be run through the queue (the workers' allowlist).
import { currentJob } from "@weft/distributed";

/** Counts the primes in [lo, hi) by trial division (CPU work), and says which worker ran it, on which attempt. */
export function countPrimes(lo: number, hi: number): { count: number; pid: number; attempt: number } {
  let count = 0;
  for (let n = Math.max(2, lo); n < hi; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return { count, pid: process.pid, attempt: currentJob()?.attempt ?? 1 };
}

/** Waits `ms` (an I/O-bound step, so the demo shows several jobs in flight per worker), then counts. */
export async function slowCount(lo: number, hi: number, ms: number): Promise<ReturnType<typeof countPrimes>> {
  const attempt = currentJob()?.attempt ?? 1; // read at the start: currentJob() is undefined after an await
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { ...countPrimes(lo, hi), attempt };
}
