import { PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// Python 3.14's map(..., buffersize=): at most that many calls submitted ahead of the results taken; the
// first ones are submitted at the call.
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}
const str = (x: number) => String(x);
const add = (x: number, y: number) => x + y;

describe("mapWith({ buffersize })", () => {
  it("gives the same results whatever the buffersize, with one or several iterables", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    for (const buffersize of [1, 2, 4, 8]) {
      expect(await collect(pool.mapWith({ buffersize }, str, [0, 1, 2, 3]))).toEqual(["0", "1", "2", "3"]);
      expect(await collect(pool.mapWith({ buffersize }, add, [0, 1, 2, 3], [0, 1, 2, 3]))).toEqual([
        0, 2, 4, 6,
      ]);
      expect(await collect(pool.mapWith({ buffersize, chunksize: 3 }, str, [0, 1, 2, 3]))).toEqual([
        "0",
        "1",
        "2",
        "3",
      ]);
    }
    expect(await collect(pool.mapWith({ buffersize: 2 }, str, []))).toEqual([]);
    expect(await collect(pool.mapWith({ buffersize: 2 }, () => "never called"))).toEqual([]);
  });

  it("submits buffersize calls at the call, and no more until results are taken", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const ints = [0, 1, 2, 3][Symbol.iterator]();
    const res = pool.mapWith({ buffersize: 2 }, str, ints);
    expect(pool.stats.queued + pool.stats.inflight).toBe(2);
    expect(ints.next().value).toBe(2); // only two elements were pulled
    expect(await res.next()).toEqual({ value: "0", done: false });
    expect(await res.next()).toEqual({ value: "1", done: false });
    expect(await res.next()).toEqual({ value: "3", done: false }); // 2 was taken by this test
    expect((await res.next()).done).toBe(true);
  });

  it("works on endless iterables", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    function* count() {
      for (let i = 0; ; i++) yield i;
    }
    const res = pool.mapWith({ buffersize: 2 }, str, count());
    expect([(await res.next()).value, (await res.next()).value, (await res.next()).value]).toEqual([
      "0",
      "1",
      "2",
    ]);
    await res.return(undefined);
    const sums = pool.mapWith({ buffersize: 2 }, add, count(), count());
    expect([(await sums.next()).value, (await sums.next()).value, (await sums.next()).value]).toEqual([
      0, 2, 4,
    ]);
    await sums.return(undefined);
  });

  it("refuses a buffersize that is not an integer >= 1", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    for (const bad of [0, -1, 2.5, "foo", null, Number.NaN]) {
      expect(() => pool.mapWith({ buffersize: bad as number }, str, [1])).toThrow(PoolOptionError);
    }
    expect(() => pool.mapWith({ buffersize: 0 }, str, [1])).toThrow(
      /buffersize must be an integer >= 1, got/,
    );
    expect(pool.stats.queued).toBe(0);
  });
});
