import { ThreadPoolExecutor } from "@weft/pool";
import { InvalidTimeoutError } from "@weft/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Node fires a setTimeout above 2^31 - 1 ms after ~1 ms (with a TimeoutOverflowWarning). Timeouts that long
// must simply never fire during the test.
const HUGE = 2 ** 31 + 5_000;

describe("timeouts above 2^31 - 1 ms", () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  beforeEach(() => {
    warnings.length = 0;
    process.on("warning", onWarning);
  });
  afterEach(() => {
    process.off("warning", onWarning);
  });

  it("a per-task timeout, taskTimeout and idleTimeout beyond setTimeout's range do not fire", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, taskTimeout: HUGE, idleTimeout: HUGE });
    const a = pool.submitWith({ timeout: HUGE }, fixture("sleepThen"), 300, "a");
    const b = pool.submit(fixture("sleepThen"), 300, "b");
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    await new Promise((r) => setTimeout(r, 100)); // idle workers are still there
    expect(pool.stats.workers).toBe(2);
    expect(warnings.filter((w) => w.name === "TimeoutOverflowWarning")).toEqual([]);
  }, 30_000);

  it("a bad timeout is refused with InvalidTimeoutError naming it", () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      expect(() => pool.submitWith({ timeout: -1 }, fixture("add"), 1, 2)).toThrow(InvalidTimeoutError);
      expect(() => pool.submitWith({ timeout: Number.NaN }, fixture("add"), 1, 2)).toThrow(/timeout/);
      expect(() => pool.submitWith({ timeout: "5" as unknown as number }, fixture("add"), 1, 2)).toThrow(
        InvalidTimeoutError,
      );
      expect(() => new ThreadPoolExecutor({ taskTimeout: -5 })).toThrow(InvalidTimeoutError);
    } finally {
      void pool.shutdown();
    }
  });
});
