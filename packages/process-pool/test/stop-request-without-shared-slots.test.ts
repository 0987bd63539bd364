import type { RunningTask } from "@weft/pool";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { until } from "./helpers.js";

// Without shared slots (no @weft/native, or sharedSlots: false) parent and child share no memory: a stop
// request is only a message, which a child busy in a synchronous loop never reads. (With shared slots the
// executor contract suite shows such a task stopping cleanly.)

// The child provides `currentTask` to self-contained functions.
declare const currentTask: () => RunningTask;

/** Never yields: spins until stopRequested (it never turns true here) or `ms` ms, returns its pid. */
const spinPolling = (ms: number): number => {
  const task = currentTask();
  const end = Date.now() + ms;
  while (Date.now() < end) task.throwIfStopRequested();
  return process.pid;
};
/** Yields every millisecond and checks stopRequested: the message is handled between turns. */
const yieldPolling = async (): Promise<number> => {
  const task = currentTask();
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1));
    task.throwIfStopRequested();
  }
  return process.pid;
};
const pid = () => process.pid;

describe("process pool without shared slots: a stop request is a message", () => {
  it("a synchronous loop never sees stopRequested and has its child stopped after killAfter", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots: false, killAfter: 100 });
    const first = await ex.submit(pid);
    // Loaded beforehand: a target that loads lets the child's event loop turn before the task starts, and a
    // stop request that came meanwhile would be seen.
    await ex.submit(spinPolling, 0);
    const ac = new AbortController();
    const reason = new Error("stop spinning");
    const running = ex.submitWith({ signal: ac.signal }, spinPolling, 10_000);
    await until(() => running.running(), 10_000, "the task to start");
    ac.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(await ex.submit(pid)).not.toBe(first); // a new child
  });

  it("a task that lets its event loop turn sees stopRequested, fails with the reason, keeps its child", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots: false, killAfter: 20_000 });
    const first = await ex.submit(pid);
    const ac = new AbortController();
    const reason = new Error("stop polling");
    const running = ex.submitWith({ signal: ac.signal }, yieldPolling);
    await until(() => running.running(), 10_000, "the task to start");
    ac.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(await ex.submit(pid)).toBe(first);
  });
});
