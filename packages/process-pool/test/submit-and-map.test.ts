import * as pool from "@weft/pool";
import {
  asCompleted,
  BrokenExecutorError,
  Future,
  ProcessPoolExecutor,
  ShutdownError,
  wait,
} from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("ProcessPoolExecutor runs tasks in child processes", () => {
  it("submit returns @weft/pool's Future, resolved in another process", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const f = ex.submit(fixture<(a: number, b: number) => number>("add"), 20, 22);
    expect(f).toBeInstanceOf(Future);
    expect(Future).toBe(pool.Future);
    expect(await f).toBe(42);
    const childPid = await ex.submit(fixture<() => number>("pid"));
    expect(childPid).not.toBe(process.pid);
    expect(typeof childPid).toBe("number");
  });

  it("runs self-contained functions sent as source", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    expect(await ex.submit((a: number, b: number) => a * b, 6, 7)).toBe(42);
    expect(await ex.run((s: string) => s.toUpperCase(), "abc")).toBe("ABC");
  });

  it("map yields results in input order, with and without chunks", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const items = Array.from({ length: 200 }, (_, i) => i);
    const out: number[] = [];
    for await (const v of ex.map(fixture<(x: number) => number>("identity"), items)) out.push(v);
    expect(out).toEqual(items);
    const chunked: number[] = [];
    for await (const v of ex.mapWith({ chunksize: 16 }, (x: number) => x * 2, items)) chunked.push(v);
    expect(chunked).toEqual(items.map((x) => x * 2));
  });

  it("works with asCompleted and wait, and errors keep their class, message and code", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const futures = [30, 10, 20].map((ms) => ex.submit(fixture("sleepThen"), ms, ms));
    const seen: unknown[] = [];
    for await (const f of asCompleted(futures)) seen.push(await f);
    expect(seen.sort()).toEqual([10, 20, 30]);
    const bad = ex.submit(fixture<(m: string) => never>("fail"), "nope");
    const { done, notDone } = await wait([bad, ex.submit(fixture("add"), 1, 1)]);
    expect(done.size).toBe(2);
    expect(notDone.size).toBe(0);
    const err = (await bad.exception()) as RangeError & { code: string };
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe("nope");
    expect(err.code).toBe("E_FIXTURE");
  });

  it("runs the initializer once in each child before its tasks", async () => {
    await using ex = new ProcessPoolExecutor({
      maxWorkers: 2,
      minWorkers: 2,
      initializer: fixture("init"),
      initArgs: ["ready"],
    });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => ex.submit(fixture<() => [number, number]>("pidAndInits"))),
    );
    for (const [, inits] of results) expect(inits).toBe(1);
    expect(await ex.submit(fixture<() => string>("label"))).toBe("ready");
  });

  it("a failing initializer breaks the executor with BrokenExecutorError", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1, initializer: fixture("failInit") });
    const err = await ex.submit(fixture("add"), 1, 2).exception();
    expect(err).toBeInstanceOf(BrokenExecutorError);
    expect(String((err as Error).message)).toMatch(/initializer refused/);
    expect(() => ex.submit(fixture("add"), 1, 2)).toThrow(BrokenExecutorError);
    await ex.shutdown();
  });

  it("submit after shutdown throws ShutdownError; bad options are rejected by name", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    await ex.shutdown();
    expect(() => ex.submit(fixture("add"), 1, 2)).toThrow(ShutdownError);
    expect(() => new ProcessPoolExecutor({ maxTasksPerChild: 0 })).toThrow(/maxTasksPerChild/);
    expect(() => new ProcessPoolExecutor({ output: "loud" as never })).toThrow(/output/);
    expect(() => new ProcessPoolExecutor({ output: "inherit", outputPrefix: "x" })).toThrow(/outputPrefix/);
    expect(() => new ProcessPoolExecutor({ maxWorkers: 0 })).toThrow(/maxWorkers/);
    expect(() => new ProcessPoolExecutor({ preload: ["./relative.js"] })).toThrow(/preload\[0\]/);
  });
});
