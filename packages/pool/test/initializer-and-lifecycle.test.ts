import { spawnSync } from "node:child_process";
import { BrokenExecutorError, PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("initializer", () => {
  it("runs once in each worker, before its first task, with initArgs", async () => {
    await using pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: fixture("init"),
      initArgs: ["ready"],
    });
    const state = fixture<() => [number, string | null]>("initState");
    expect(await pool.submit(state)).toEqual([1, "ready"]);
    expect(await pool.submit(state)).toEqual([1, "ready"]);
  });

  it("a failing initializer breaks the executor: pending tasks fail and submit throws", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2, initializer: fixture("failInit") });
    const f = pool.submit(fixture("add"), 1, 2);
    const err = await f.exception();
    expect(err).toBeInstanceOf(BrokenExecutorError);
    expect(String((err as Error).message)).toMatch(/initializer failed.*init refuses/);
    expect(() => pool.submit(fixture("add"), 1, 2)).toThrow(BrokenExecutorError);
    await pool.shutdown();
  });
});

describe("worker lifecycle", () => {
  it("starts minWorkers at once, grows to maxWorkers under load, retires idle ones after idleTimeout", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 3, minWorkers: 1, idleTimeout: 100 });
    expect(pool.stats.workers).toBe(1);
    const work = Promise.all(Array.from({ length: 6 }, () => pool.submit(fixture("spin"), 20)));
    await Promise.resolve();
    expect(pool.stats.workers).toBe(3);
    await work;
    const end = Date.now() + 10_000;
    while (pool.stats.workers > 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(pool.stats.workers).toBe(1);
    expect(await pool.submit(fixture("add"), 2, 2)).toBe(4);
  });

  it("maxTasksPerWorker replaces a worker after that many tasks", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, maxTasksPerWorker: 3 });
    const who = fixture<() => number>("whoAmI");
    const threads: number[] = [];
    for (let i = 0; i < 9; i++) threads.push(await pool.submit(who));
    expect(new Set(threads).size).toBe(3);
    expect(threads[0]).toBe(threads[2]);
    expect(threads[3]).not.toBe(threads[2]);
    // in bulk too: every task still runs
    const bulk = await Promise.all(Array.from({ length: 20 }, () => pool.submit(who)));
    expect(bulk).toHaveLength(20);
    expect(new Set(bulk).size).toBeGreaterThanOrEqual(7);
  });

  it("an idle pool that was never shut down does not keep the process alive", () => {
    const script = `
      import { ThreadPoolExecutor } from "@weft/pool";
      const pool = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 1 });
      console.log(await pool.submit((a, b) => a + b, 2, 3));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url),
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("5");
    expect(r.status).toBe(0);
  });

  it("rejects bad options with a PoolOptionError naming the option", () => {
    expect(() => new ThreadPoolExecutor({ maxWorkers: 0 })).toThrow(/maxWorkers/);
    expect(() => new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 3 })).toThrow(PoolOptionError);
    expect(() => new ThreadPoolExecutor({ maxQueue: -1 })).toThrow(/maxQueue/);
    expect(() => new ThreadPoolExecutor({ whenFull: "sometimes" as never })).toThrow(/whenFull/);
    expect(() => new ThreadPoolExecutor({ initializer: 42 as never })).toThrow(/initializer/);
    expect(() => new ThreadPoolExecutor({ window: 0 })).toThrow(/window/);
  });
});
