import { TaskTimeoutError, ThreadPoolExecutor, WorkerTerminatedError } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Quick tasks submitted together run back to back on one worker, and their results travel in batches. When
// weft stops that worker for the slow task behind them, each quick task that had finished must still deliver
// its own outcome (a value, or its own error), never BrokenWorkerError.
const QUICK = 40;

/** Loads every target the test uses in the pool's worker (a first use loads its module, which flushes). */
async function warm(pool: ThreadPoolExecutor) {
  await pool.submit(fixture("add"), 0, 0);
  await pool.submit(fixture("spin"), 0);
  await pool.submit(fixture("fail"), "warm").catch(() => undefined);
}

function submitQuick(pool: ThreadPoolExecutor) {
  return Array.from({ length: QUICK }, (_, i) =>
    i % 7 === 3 ? pool.submit(fixture("fail"), `quick ${i}`) : pool.submit(fixture("add"), i, 1000),
  );
}

async function expectQuickOutcomes(quick: Promise<unknown>[]) {
  const settled = await Promise.allSettled(quick);
  settled.forEach((s, i) => {
    if (i % 7 === 3) {
      expect(s.status).toBe("rejected");
      expect((s as PromiseRejectedResult).reason).toBeInstanceOf(RangeError);
      expect((s as PromiseRejectedResult).reason.message).toBe(`quick ${i}`);
    } else {
      expect(s).toEqual({ status: "fulfilled", value: i + 1000 });
    }
  });
}

describe("tasks that finished before weft stops their worker keep their outcome", () => {
  it("stopped for a per-task timeout", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64 });
    await warm(pool); // the batch below then runs without pauses
    const quick = submitQuick(pool);
    const slow = pool.submitWith({ timeout: 300 }, fixture("spin"), 60_000);
    await expect(slow).rejects.toBeInstanceOf(TaskTimeoutError);
    await expectQuickOutcomes(quick);
  }, 30_000);

  it("stopped by the executor's taskTimeout", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64, taskTimeout: 300 });
    await warm(pool);
    const quick = submitQuick(pool);
    const slow = pool.submit(fixture("spin"), 60_000);
    await expect(slow).rejects.toBeInstanceOf(TaskTimeoutError);
    await expectQuickOutcomes(quick);
  }, 30_000);

  it("stopped because a running task's signal was aborted", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64 });
    await warm(pool);
    const ac = new AbortController();
    const quick = submitQuick(pool);
    const slow = pool.submitWith({ signal: ac.signal }, fixture("spin"), 60_000);
    while (!slow.running()) await new Promise((r) => setTimeout(r, 5));
    ac.abort(new Error("enough"));
    await expect(slow).rejects.toThrow("enough");
    await expectQuickOutcomes(quick);
  }, 30_000);

  it("tasks behind the stopped one still run, on a new worker", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64 });
    await warm(pool);
    const quick = submitQuick(pool);
    const slow = pool.submitWith({ timeout: 300 }, fixture("spin"), 60_000);
    const after = Array.from({ length: 10 }, (_, i) => pool.submit(fixture("add"), i, 1));
    await expect(slow).rejects.toBeInstanceOf(TaskTimeoutError);
    await expectQuickOutcomes(quick);
    expect(await Promise.all(after)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 30_000);

  // The slow task has neither a timeout nor a signal: nothing told the worker it might be stopped.
  it.each([
    ["terminateWorkers()", (pool: ThreadPoolExecutor) => pool.terminateWorkers()],
    ["killWorkers()", (pool: ThreadPoolExecutor) => pool.killWorkers()],
  ])(
    "stopped by %s while the task after them runs",
    async (_, stop) => {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64, killAfter: 100 });
      await warm(pool);
      const quick = submitQuick(pool);
      const slow = pool.submit(fixture("spin"), 60_000);
      while (!slow.running()) await new Promise((r) => setTimeout(r, 5));
      await stop(pool);
      await expect(slow).rejects.toBeInstanceOf(WorkerTerminatedError);
      await expectQuickOutcomes(quick);
    },
    30_000,
  );
});
