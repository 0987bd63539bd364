import { moduleTask, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";

// As in a thread pool (the same task server runs in each child): a ContextLocal.set() at a task's top level
// stays within that task and does not reach the next tasks the child runs.

const tasks = new URL("./fixtures/context-set-in-task.mjs", import.meta.url);
const setBoth = moduleTask<(v: string) => string[]>(tasks, "setBoth");
const readBoth = moduleTask<() => string[]>(tasks, "readBoth");
const CLEAN = ["unset", "-"];

describe("a ContextLocal set by a process-pool task", () => {
  for (const sharedSlots of [true, false]) {
    it(`does not reach the next tasks of its child (sharedSlots: ${sharedSlots})`, async () => {
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots });
      const results = await Promise.all([
        pool.submit(setBoth, "B"),
        pool.submit(readBoth),
        pool.submit(setBoth, "C"),
      ]);
      expect(results.map((r) => r.slice(0, 2))).toEqual([CLEAN, CLEAN, CLEAN]);
      expect(await pool.submit(readBoth)).toEqual(CLEAN);
    });
  }
});
