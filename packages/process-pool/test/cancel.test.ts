import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, nativeAvailable, until } from "./helpers.js";

const native = nativeAvailable;

describe("cancel()", () => {
  it.skipIf(!native)(
    "with shared slots, withdraws a task already sent to a busy child until it starts",
    async () => {
      await using ex = new ProcessPoolExecutor({ maxWorkers: 1, window: 8, sharedSlots: true });
      const busy = ex.submit(fixture<(ms: number) => number>("spin"), 400);
      const waiting = ex.submit(fixture("add"), 1, 1);
      await until(() => busy.running(), 10_000, "the first task to run");
      expect(ex.stats.inflight).toBe(2); // both were sent to the child
      expect(waiting.running()).toBe(false);
      expect(waiting.cancel()).toBe(true);
      expect(waiting.cancelled()).toBe(true);
      expect(busy.cancel()).toBe(false);
      expect(typeof (await busy)).toBe("number");
      expect(await ex.submit(fixture("add"), 2, 2)).toBe(4);
    },
  );

  it("without shared slots, a task sent to a child can no longer be cancelled; a queued one can", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, window: 1, sharedSlots: false });
    const busy = ex.submit(fixture<(ms: number) => number>("spin"), 300);
    const queued = ex.submit(fixture("add"), 1, 1);
    await until(() => busy.running(), 10_000, "the first task to run");
    expect(busy.cancel()).toBe(false);
    expect(queued.cancel()).toBe(true);
    await busy;
  });
});
