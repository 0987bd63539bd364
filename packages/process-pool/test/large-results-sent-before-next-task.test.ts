import { ProcessPoolExecutor, TaskTimeoutError } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, nativeAvailable } from "./helpers.js";

// A child writes a large result to its IPC channel over many turns of its event loop. The task after it must
// not start before those bytes have left: a task that blocks the loop until weft kills the child, or that
// ends the process, would otherwise take finished tasks' results with it (they failed with
// BrokenProcessError, or WorkerTerminatedError, though they had finished).
const CHARS = 1_000_000;
const big = (pool: ProcessPoolExecutor, n: number) =>
  Array.from({ length: n }, () => pool.submit(fixture("spinThenBig"), 20, CHARS));
const lengths = async (results: Promise<unknown>[]) =>
  (await Promise.allSettled(results)).map((s) =>
    s.status === "fulfilled" ? (s.value as string).length : (s.reason as Error).name,
  );

describe.each([
  { sharedSlots: true, skip: !nativeAvailable },
  { sharedSlots: false, skip: false },
])("large finished results reach the parent, sharedSlots: $sharedSlots", ({ sharedSlots, skip }) => {
  it.skipIf(skip)(
    "before a task that blocks its child until its timeout kills it",
    async () => {
      await using pool = new ProcessPoolExecutor({
        maxWorkers: 1,
        minWorkers: 1,
        killAfter: 100,
        sharedSlots,
      });
      await pool.submit(fixture("add"), 0, 0);
      const finished = big(pool, 3);
      const stuck = pool.submitWith({ timeout: 50 }, fixture("blockForever"));
      const after = pool.submit(fixture("add"), 1, 2);
      await expect(stuck).rejects.toBeInstanceOf(TaskTimeoutError);
      expect(await lengths(finished)).toEqual([CHARS, CHARS, CHARS]);
      // Without shared slots the parent cannot tell that the task behind the stuck one never started: it
      // fails with the child (see the README), so only a pool with shared slots runs it elsewhere.
      if (sharedSlots) expect(await after).toBe(3);
      else await after.catch(() => undefined);
    },
    30_000,
  );

  it.skipIf(skip)(
    "before a task that ends its child's process",
    async () => {
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1, minWorkers: 1, sharedSlots });
      await pool.submit(fixture("add"), 0, 0);
      const finished = big(pool, 4);
      const exits = pool.submit(fixture("exitWith"), 9);
      await expect(exits).rejects.toThrow();
      expect(await lengths(finished)).toEqual([CHARS, CHARS, CHARS, CHARS]);
    },
    30_000,
  );
});
