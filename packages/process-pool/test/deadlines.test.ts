import { ProcessPoolExecutor, TaskTimeoutError } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("the earliest deadline governs (child processes)", () => {
  it("a per-task timeout shorter than taskTimeout kills the child at the task's deadline", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1, taskTimeout: 30_000 });
    expect(await pool.submit(fixture("add"), 1, 1)).toBe(2);
    const t0 = performance.now();
    const err = await pool.submitWith({ timeout: 300 }, fixture("spin"), 60_000).exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskTimeoutError).timeout).toBe(300);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 60_000);

  it("taskTimeout shorter than a per-task timeout kills the child at taskTimeout", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1, taskTimeout: 300 });
    expect(await pool.submit(fixture("add"), 1, 1)).toBe(2);
    const err = await pool.submitWith({ timeout: 30_000 }, fixture("spin"), 60_000).exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskTimeoutError).timeout).toBe(300);
  }, 60_000);

  it("timeouts beyond 2^31 - 1 ms never fire early", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const huge = 2 ** 31 + 1000;
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1, taskTimeout: huge, idleTimeout: huge });
      expect(await pool.submitWith({ timeout: huge }, fixture("sleepThen"), 300, "ok")).toBe("ok");
      expect(warnings.filter((w) => w.name === "TimeoutOverflowWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  }, 60_000);
});
