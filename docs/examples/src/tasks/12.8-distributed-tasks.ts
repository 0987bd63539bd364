// The task module the weft-worker processes of recipe 12.8 (across machines) serve: only the functions
// exported here can be run through the queue (the workers' allowlist).
import { currentJob } from "@weft/distributed";
import { countPrimes as countPrimesIn } from "./12.7-primes.js";

/** Counts the primes in [lo, hi) by trial division (CPU work), and says which worker ran it, on which attempt. */
export function countPrimes(lo: number, hi: number): { count: number; pid: number; attempt: number } {
  const count = countPrimesIn(lo, hi);
  return { count, pid: process.pid, attempt: currentJob()?.attempt ?? 1 };
}

/** Waits `ms` (an I/O-bound step, so the demo shows several jobs in flight per worker), then counts. */
export async function slowCount(lo: number, hi: number, ms: number): Promise<ReturnType<typeof countPrimes>> {
  const attempt = currentJob()?.attempt ?? 1; // read at the start: currentJob() is undefined after an await
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { ...countPrimes(lo, hi), attempt };
}
