import { ProcessPoolExecutor, TaskTimeoutError } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, nativeAvailable } from "./helpers.js";

// Quick tasks sent together run back to back in one child and their results travel in batches. When weft
// kills that child for the slow task behind them, each quick task that had finished must still deliver its
// own outcome (a value or its own error), never BrokenProcessError.
const QUICK = 40;

async function warm(pool: ProcessPoolExecutor) {
  await pool.submit(fixture("add"), 0, 0);
  await pool.submit(fixture("spin"), 0);
  await pool.submit(fixture("fail"), "warm").catch(() => undefined);
}

function submitQuick(pool: ProcessPoolExecutor) {
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

describe.each([
  { sharedSlots: true, skip: !nativeAvailable },
  { sharedSlots: false, skip: false },
])(
  "finished tasks keep their outcome when weft kills their child, sharedSlots: $sharedSlots",
  ({ sharedSlots, skip }) => {
    it.skipIf(skip)(
      "killed for a per-task timeout",
      async () => {
        await using pool = new ProcessPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64, sharedSlots });
        await warm(pool);
        const quick = submitQuick(pool);
        const slow = pool.submitWith({ timeout: 400 }, fixture("spin"), 60_000);
        await expect(slow).rejects.toBeInstanceOf(TaskTimeoutError);
        await expectQuickOutcomes(quick);
      },
      30_000,
    );

    it.skipIf(skip)(
      "killed by taskTimeout",
      async () => {
        await using pool = new ProcessPoolExecutor({
          maxWorkers: 1,
          minWorkers: 1,
          window: 64,
          sharedSlots,
          taskTimeout: 400,
        });
        await warm(pool);
        const quick = submitQuick(pool);
        const slow = pool.submit(fixture("spin"), 60_000);
        await expect(slow).rejects.toBeInstanceOf(TaskTimeoutError);
        await expectQuickOutcomes(quick);
      },
      30_000,
    );

    it.skipIf(skip)(
      "killed because a running task's signal was aborted",
      async () => {
        await using pool = new ProcessPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64, sharedSlots });
        await warm(pool);
        const ac = new AbortController();
        const quick = submitQuick(pool);
        const slow = pool.submitWith({ signal: ac.signal }, fixture("spin"), 60_000);
        // the quick tasks take well under this; the slow one runs for a minute
        await new Promise((r) => setTimeout(r, 500));
        ac.abort(new Error("enough"));
        await expect(slow).rejects.toThrow("enough");
        await expectQuickOutcomes(quick);
      },
      30_000,
    );
  },
);
