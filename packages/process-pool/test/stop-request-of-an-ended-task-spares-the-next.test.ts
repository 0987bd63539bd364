import type { RunningTask } from "@weft/pool";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

// A task asked to stop (its timeout expired) that never reads its signal and ends within killAfter keeps its
// child. The request it got must end with it: the next task of that child, in the same slot of a window of 1,
// is not asked to stop (before, it saw stopRequested and its signal aborted with the other task's reason).
const native = await loadNative();

// Provided inside a self-contained task by the worker.
declare const currentTask: () => RunningTask;

describe.each([
  ["without shared slots", false],
  ...(native === undefined ? [] : [["with shared slots", true] as const]),
] as const)("a stop request of a task that ended (%s)", (_, sharedSlots) => {
  it("is not seen by the next task in the same slot", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1, window: 1, killAfter: 5000, sharedSlots });
    const slow = pool.submitWith({ timeout: 20 }, async () => {
      await new Promise((r) => setTimeout(r, 300)); // ignores its signal
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
