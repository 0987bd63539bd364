import { TaskTimeoutError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// The earlier of the executor's taskTimeout and a task's own timeout stops it. The checks use only lower
// bounds on time and generous limits ("not 8 s") so that a loaded machine cannot fail them.
describe("the earliest deadline governs", () => {
  it("a per-task timeout shorter than taskTimeout stops the task at its own deadline", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, taskTimeout: 30_000 });
    // an earlier task with the long timeout arms the executor's timer first
    expect(await pool.submit(fixture("add"), 1, 1)).toBe(2);
    const t0 = performance.now();
    const err = await pool.submitWith({ timeout: 200 }, fixture("spin"), 60_000).exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskTimeoutError).timeout).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(performance.now() - t0).toBeLessThan(20_000); // not the executor's 30 s
  }, 60_000);

  it("taskTimeout shorter than a per-task timeout stops the task at taskTimeout", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, taskTimeout: 200 });
    const t0 = performance.now();
    const err = await pool.submitWith({ timeout: 30_000 }, fixture("spin"), 60_000).exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskTimeoutError).timeout).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 60_000);

  it("timeout 0 or Infinity on a task adds no deadline of its own", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, taskTimeout: 200 });
    const err = await pool.submitWith({ timeout: 0 }, fixture("spin"), 60_000).exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect(await pool.submitWith({ timeout: Number.POSITIVE_INFINITY }, fixture("spin"), 50)).toBeTypeOf(
      "number",
    );
  }, 60_000);
});
