import { type RunningTask, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// A task asked to stop (its timeout expired) that never reads its signal and ends within killAfter keeps its
// worker. The request it got must end with it: the next task of that worker, in the same slot of a window of
// 1, is not asked to stop (before, it saw stopRequested and its signal aborted with the other task's reason).
// Provided inside a self-contained task by the worker.
declare const currentTask: () => RunningTask;

describe("a stop request of a task that ended", () => {
  it("is not seen by the next task in the same slot", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 1, killAfter: 5000 });
    const slow = pool.submitWith({ timeout: 20 }, async () => {
      await new Promise((r) => setTimeout(r, 200)); // ignores its signal
      return "slow";
    });
    const next = pool.submit(async () => {
      const task = currentTask();
      const before = task.stopRequested;
      await new Promise((r) => setTimeout(r, 20));
      return [before, task.stopRequested, task.signal.aborted];
    });
    expect(await slow).toBe("slow"); // it ended within killAfter: its result wins
    expect(await next).toEqual([false, false, false]);
  });
});
