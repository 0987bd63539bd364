import { type Future, ShutdownError, ThreadPoolExecutor } from "@weft/pool";
import { ClosureError } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("ThreadPoolExecutor.submit", () => {
  it("runs self-contained functions and module targets, typed from the function", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const f: Future<number> = pool.submit((a: number, b: number) => a * b, 6, 7);
    expect(await f).toBe(42);
    const add = fixture<(a: number, b: number) => number>("add");
    const g: Future<number> = pool.submit(add, 2, 3);
    expect(await g.result()).toBe(5);
    expect(await pool.submit(() => "no args")).toBe("no args");
    expect(await pool.submit(async (ms: number) => ms + 1, 1)).toBe(2);
  });

  it("copies structured data both ways", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const value = { a: [1, 2, { b: "c" }], m: new Map([["k", new Set([1])]]), d: new Date(0), n: null };
    expect(await pool.submit(fixture("identity"), value)).toEqual(value);
  });

  it("rethrows a task's error with its class, message, code and the worker's stack", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const err = await pool.submit(fixture("fail"), "no good").exception();
    expect(err).toBeInstanceOf(RangeError);
    expect((err as RangeError).message).toBe("no good");
    expect((err as { code?: string }).code).toBe("E_FIXTURE");
    expect((err as Error).stack).toContain("tasks.mjs");
    // a failure fails only that task
    expect(await pool.submit(fixture("add"), 1, 1)).toBe(2);
  });

  it("fails a task whose result cannot cross threads, naming it", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const err = await pool.submit(fixture("returnsFunction")).exception();
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/result|function|clone/i);
    expect(await pool.submit(fixture("add"), 2, 2)).toBe(4);
  });

  it("throws at submit for an argument that cannot cross (a function), naming its path", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => pool.submit(fixture("identity"), { handler: () => 1 })).toThrow(/args\[0\]\.handler/);
  });

  it("throws ClosureError for a function that uses an outer variable", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const outer = 5;
    expect(() => pool.submit((x: number) => x + outer, 1)).toThrow(ClosureError);
  });

  it("submit after shutdown throws ShutdownError; map too", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    await pool.submit(fixture("add"), 1, 2);
    await pool.shutdown();
    expect(() => pool.submit(fixture("add"), 1, 2)).toThrow(ShutdownError);
    expect(() => pool.map(fixture("identity"), [1])).toThrow(ShutdownError);
    await pool.shutdown(); // idempotent
  });

  it("shutdown waits for accepted work; Symbol.asyncDispose shuts down", async () => {
    const futures: Future<unknown>[] = [];
    {
      await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
      for (let i = 0; i < 20; i++) futures.push(pool.submit(fixture("sleepThen"), 2, i));
    }
    expect(futures.every((f) => f.done())).toBe(true);
    expect(await Promise.all(futures)).toEqual([...Array(20).keys()]);
  });

  it("shutdown({ wait: false }) returns at once and the work still completes", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = pool.submit(fixture("sleepThen"), 30, "late");
    await pool.shutdown({ wait: false });
    expect(f.done()).toBe(false);
    expect(await f).toBe("late");
  });

  it("runs many tasks in order of completion per worker and spreads them over workers", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2 });
    // 8 x 100 ms of work: long enough that the second worker is up (and takes back unstarted tasks) before the
    // first could finish them all, even when a loaded machine starts a worker slowly.
    const ids = await Promise.all(Array.from({ length: 8 }, () => pool.submit(fixture("spin"), 100)));
    expect(new Set(ids).size).toBe(2);
    const many = await Promise.all(Array.from({ length: 5000 }, (_, i) => pool.submit(fixture("add"), i, 1)));
    expect(many[4999]).toBe(5000);
    expect(many.every((v, i) => v === i + 1)).toBe(true);
  });
});
