import { BrokenExecutorError, PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Workers that die before they are ready (here: process.exit in the initializer of the first N workers,
// counted in shared memory) are replaced with back-off, up to respawn.retries deaths in a row.
describe("respawn policy", () => {
  it("three workers dying while starting do not break the executor: every queued task runs", async () => {
    const counter = new SharedArrayBuffer(4);
    await using pool = new ThreadPoolExecutor({
      maxWorkers: 2,
      initializer: fixture("dieWhileStarting"),
      initArgs: [counter, 3],
      respawn: { backoffMs: 20 },
    });
    const futures = Array.from({ length: 200 }, (_, i) => pool.submit(fixture("add"), i, 1));
    const values = await Promise.all(futures);
    expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Int32Array(counter)[0]).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it("past its retries the executor breaks with BrokenExecutorError, and queued tasks fail with it", async () => {
    const counter = new SharedArrayBuffer(4);
    const pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: fixture("dieWhileStarting"),
      initArgs: [counter, 1000],
      respawn: { retries: 2, backoffMs: 10 },
    });
    const futures = Array.from({ length: 20 }, () => pool.submit(fixture("add"), 1, 1));
    for (const f of futures) {
      const err = await f.exception();
      expect(err).toBeInstanceOf(BrokenExecutorError);
      expect((err as Error).message).toMatch(/3 workers in a row died before they were ready/);
    }
    expect(new Int32Array(counter)[0]).toBe(3);
    expect(() => pool.submit(fixture("add"), 1, 1)).toThrow(BrokenExecutorError);
    await pool.shutdown();
  }, 60_000);

  it("waits backoffMs, doubling, between replacements", async () => {
    const counter = new SharedArrayBuffer(4);
    await using pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: fixture("dieWhileStarting"),
      initArgs: [counter, 2],
      respawn: { backoffMs: 300 },
    });
    const t0 = performance.now();
    expect(await pool.submit(fixture("add"), 2, 2)).toBe(4);
    // two deaths: 300 ms, then 600 ms of back-off before the third worker starts
    expect(performance.now() - t0).toBeGreaterThanOrEqual(880);
  }, 60_000);

  it("rejects bad respawn options", () => {
    expect(() => new ThreadPoolExecutor({ respawn: { retries: -1 } })).toThrow(PoolOptionError);
    expect(() => new ThreadPoolExecutor({ respawn: { backoffMs: Number.NaN } })).toThrow(/backoffMs/);
    expect(() => new ThreadPoolExecutor({ respawn: { retry: 3 } as never })).toThrow(/retries/);
    expect(() => new ThreadPoolExecutor({ respawn: 3 as never })).toThrow(PoolOptionError);
  });
});
