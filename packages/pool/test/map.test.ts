import { ThreadPoolExecutor, TimeoutError } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("map", () => {
  it("yields results in input order, whatever order they finish in", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const delays = [30, 1, 20, 2, 10, 0];
    const out: number[] = [];
    const sleepThen = fixture<(ms: number, v: number) => Promise<number>>("sleepThen");
    for await (const v of pool.map(
      (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms)),
      delays,
    )) {
      out.push(v);
    }
    expect(out).toEqual(delays);
    expect(await pool.submit(sleepThen, 0, 1)).toBe(1);
  });

  it("chunksize groups items and keeps the order; async iterables work", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    async function* gen() {
      for (let i = 0; i < 103; i++) yield i;
    }
    const out: number[] = [];
    for await (const v of pool.mapWith({ chunksize: 10 }, (x: number) => x * 3, gen())) out.push(v);
    expect(out).toEqual(Array.from({ length: 103 }, (_, i) => i * 3));
  });

  it("throws the first failing item's error at its position, after the earlier results", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const out: number[] = [];
    const run = async () => {
      for await (const v of pool.map(
        (x: number) => {
          if (x === 3) throw new RangeError("three");
          return x;
        },
        [0, 1, 2, 3, 4, 5],
      )) {
        out.push(v);
      }
    };
    await expect(run()).rejects.toThrow("three");
    expect(out).toEqual([0, 1, 2]);
  });

  it("breaking out cancels what has not started", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 2 });
    let pulled = 0;
    function* items() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield 5;
      }
    }
    for await (const _ of pool.map(fixture<(ms: number) => number>("spin"), items())) break;
    expect(pulled).toBeLessThan(1000);
    expect(pool.stats.queued).toBe(0);
  });

  it("timeout counts from the call", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const run = async () => {
      for await (const _ of pool.mapWith(
        { timeout: 50 },
        fixture<(ms: number) => number>("spin"),
        [200, 200],
      )) {
        // nothing
      }
    };
    await expect(run()).rejects.toBeInstanceOf(TimeoutError);
  });

  it("rejects a bad chunksize or a non-iterable", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => pool.mapWith({ chunksize: 0 }, (x: number) => x, [1])).toThrow(/chunksize/);
    expect(() => pool.map((x: number) => x, 5 as never)).toThrow(/iterable/);
  });
});
