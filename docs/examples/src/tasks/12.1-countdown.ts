// Task module for recipe 12.1: a countdown that a thread runs, and that stops early when asked to.
import type { Event } from "@weft/sync";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts down from n, one tick every `tickMs`, checking `signal` before each tick: the cooperative way to stop
 * a thread (there is no kill). Returns how it ended.
 */
export async function countdown(n: number, signal: AbortSignal, tickMs = 200): Promise<string> {
  while (n > 0) {
    if (signal.aborted) return `terminated at ${n} (${String(signal.reason)})`;
    console.log("T-minus", n);
    n -= 1;
    await sleep(tickMs);
  }
  return "lift-off";
}

/**
 * Beats forever; only useful as a daemon thread, which the process does not wait for. Sets `beating` after
 * the first beat, so the caller can wait for the thread to be up without guessing how long it takes to start.
 */
export async function heartbeat(everyMs: number, beating?: Event): Promise<never> {
  for (let beat = 1; ; beat++) {
    console.log(`  (daemon heartbeat ${beat})`);
    beating?.set();
    await sleep(everyMs);
  }
}
