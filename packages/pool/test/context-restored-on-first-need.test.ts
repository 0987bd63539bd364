import { ContextLocal } from "@weft/local-storage";
import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// A pool worker loads @weft/local-storage only when a task carries a propagated context: each case below makes
// such a task the first thing a fresh worker does, so it must wait for that load and still see its own value.
const requestId = new ContextLocal<string>({
  name: "test.firstNeed.requestId",
  default: "none",
  propagate: true,
});
const url = new URL("./fixtures/context-on-first-need.mjs", import.meta.url);
const read = moduleTask<(tag: number) => [number, string]>(url, "read");

describe("a worker restores a task's context on first need", () => {
  it("the first task of a fresh worker sees the context of its submit", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await requestId.run("req-1", () => pool.submit(read, 1))).toEqual([1, "req-1"]);
  });

  it("an inline first task under a context runs", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await requestId.run("req-inline", () => pool.submit((x: number) => x * 2, 21))).toBe(42);
  });

  it("tasks sent before the load finishes, with and without a context, run in order with their own", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const order: number[] = [];
    const futures = Array.from({ length: 12 }, (_, i) => {
      const f = i % 3 === 0 ? pool.submit(read, i) : requestId.run(`req-${i}`, () => pool.submit(read, i));
      f.addDoneCallback(() => order.push(i));
      return f;
    });
    const results = await Promise.all(futures);
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => [i, i % 3 === 0 ? "none" : `req-${i}`]));
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it("a chunked map's first chunk carries its context", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const out: [number, string][] = [];
    await requestId.run("req-map", async () => {
      for await (const v of pool.mapWith({ chunksize: 3 }, read, [1, 2, 3, 4])) out.push(v);
    });
    expect(out).toEqual([1, 2, 3, 4].map((i) => [i, "req-map"]));
  });
});
