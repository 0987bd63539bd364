import { TaskTimeoutError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("AbortSignal per task", () => {
  it("an already aborted signal fails the task at once without running it", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = pool.submitWith({ signal: AbortSignal.abort(new Error("never mind")) }, fixture("add"), 1, 2);
    expect(f.done()).toBe(true);
    await expect(f).rejects.toThrow("never mind");
  });

  it("aborting a waiting task withdraws it; the others run", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 2 });
    const blocker = pool.submit(fixture("spin"), 60);
    const ac = new AbortController();
    const f = pool.submitWith({ signal: ac.signal }, fixture("add"), 1, 2);
    const g = pool.submit(fixture("add"), 3, 4);
    ac.abort();
    await expect(f).rejects.toMatchObject({ name: "AbortError" });
    expect(await g).toBe(7);
    await blocker;
  });

  it("aborting a running task stops its worker, which is replaced; queued tasks still run", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 8 });
    const ac = new AbortController();
    const f = pool.submitWith({ signal: ac.signal }, fixture("spin"), 10_000);
    const after = Array.from({ length: 5 }, (_, i) => pool.submit(fixture("add"), i, 100));
    while (!f.running()) await new Promise((r) => setTimeout(r, 2));
    const t0 = Date.now();
    ac.abort(new Error("stop it"));
    await expect(f).rejects.toThrow("stop it");
    expect(await Promise.all(after)).toEqual([100, 101, 102, 103, 104]);
    expect(Date.now() - t0).toBeLessThan(9_000);
  });
});

describe("taskTimeout", () => {
  it("fails a task that runs too long with TaskTimeoutError and replaces its worker", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, taskTimeout: 100, window: 8 });
    const slow = pool.submit(fixture("spin"), 20_000);
    const quick = Array.from({ length: 5 }, (_, i) => pool.submit(fixture("spin"), 1).then(() => i));
    const err = await slow.exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskTimeoutError).timeout).toBe(100);
    // queued behind the slow task on the same worker, they are not timed from their submission
    expect(await Promise.all(quick)).toEqual([0, 1, 2, 3, 4]);
  });

  it("a per-task timeout overrides the executor's", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = pool.submitWith({ timeout: 50 }, fixture("spin"), 20_000);
    await expect(f).rejects.toBeInstanceOf(TaskTimeoutError);
    expect(await pool.submitWith({ timeout: 5_000 }, fixture("add"), 1, 1)).toBe(2);
  });
});
