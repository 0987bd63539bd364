import { PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// Python's map(fn, *iterables): zip the iterables, stop at the shortest, call fn with one argument from each.
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe("map(fn, ...iterables)", () => {
  it("calls fn with one argument per iterable and stops at the shortest", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    expect(await collect(pool.map((x: number, y: number) => x + y, [1, 2, 3], [10, 20, 30, 40]))).toEqual([
      11, 22, 33,
    ]);
    expect(
      await collect(
        pool.map((a: string, b: number, c: boolean) => `${a}${b}${c}`, ["a", "b"], [1, 2], [true]),
      ),
    ).toEqual(["a1true"]);
    expect(await collect(pool.map((x: number, y: number) => x * y, [], [1, 2]))).toEqual([]);
    // A string is iterable (its characters), as in Python.
    expect(await collect(pool.map((c: string, n: number) => c.repeat(n), "abc", [1, 2]))).toEqual([
      "a",
      "bb",
    ]);
  });

  it("with no iterable at all yields nothing (Python's zip())", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await collect(pool.map(() => 1))).toEqual([]);
  });

  it("zips sync, async and endless iterables, and closes the ones it did not finish", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    let closed = false;
    let pulled = 0;
    function* naturals() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    async function* letters() {
      yield* ["a", "b", "c"];
    }
    expect(await collect(pool.map((n: number, s: string) => `${s}${n}`, naturals(), letters()))).toEqual([
      "a0",
      "b1",
      "c2",
    ]);
    expect(closed).toBe(true);
    expect(pulled).toBe(4); // Python's zip pulls the first iterable once more before it sees the second end
  });

  it("chunksize (mapWith) groups calls of several arguments and keeps the order", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const xs = Array.from({ length: 103 }, (_, i) => i);
    const ys = xs.map((i) => i * 10);
    const out = await collect(pool.mapWith({ chunksize: 10 }, (x: number, y: number) => x + y, xs, ys));
    expect(out).toEqual(xs.map((i) => i * 11));
    const objects = await collect(
      pool.mapWith(
        { chunksize: 4 },
        (o: { v: number }, k: string) => `${k}=${o.v}`,
        [{ v: 1 }, { v: 2 }],
        ["a", "b"],
      ),
    );
    expect(objects).toEqual(["a=1", "b=2"]);
  });

  it("a single iterable still works as before, with or without mapWith", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await collect(pool.map((x: number) => x * 2, [1, 2, 3]))).toEqual([2, 4, 6]);
    expect(await collect(pool.mapWith({ chunksize: 2 }, (x: number) => x * 2, [1, 2, 3]))).toEqual([2, 4, 6]);
    expect(await collect(pool.mapWith({}, (x: number[]) => x.length, [[1, 2], [3]]))).toEqual([2, 1]);
  });

  it("refuses a non-iterable argument with a PoolOptionError naming it", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const call =
      (...args: unknown[]) =>
      () =>
        (pool.map as (...a: unknown[]) => unknown)(...args);
    expect(call((x: number) => x, 5)).toThrow(PoolOptionError);
    expect(call((x: number) => x, 5)).toThrow(/argument 2 \(iterables\[0\]\).*number/);
    expect(call((x: number, y: number) => x + y, [1], null)).toThrow(/argument 3 \(iterables\[1\]\).*null/);
    // The pre-1.0 form map(fn, items, options): the options object is not an iterable; the error says where options go.
    expect(call((x: number) => x, [1], { chunksize: 2 })).toThrow(
      /argument 3 \(iterables\[1\]\).*mapWith\(options, fn/,
    );
    const mapWith =
      (...args: unknown[]) =>
      () =>
        (pool.mapWith as (...a: unknown[]) => unknown)(...args);
    expect(mapWith({}, (x: number) => x, [1], 7)).toThrow(/argument 4 \(iterables\[1\]\)/);
    expect(mapWith([1, 2], (x: number) => x, [1])).toThrow(/^mapWith options must be an object/);
    expect(mapWith({ chunksize: 0 }, (x: number) => x, [1])).toThrow(/chunksize/);
    expect(mapWith({ chunkSize: 2 }, (x: number) => x, [1])).toThrow(/chunkSize/);
    expect(pool.stats.queued).toBe(0);
  });
});

describe("map: an element that cannot be sent", () => {
  it("is named by its place in the iterables, after the results before it", async () => {
    const { MarshalError } = await import("@weft/sync");
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const bad = { handler: () => 1 };
    const cases: [AsyncGenerator<unknown, void, undefined>, RegExp, number][] = [
      [pool.map((o: unknown) => typeof o, [1, 2, bad]), /^items\[2\]\.handler /, 2],
      [
        pool.map((x: number, o: unknown) => [x, typeof o], [1, 2], [0, bad]),
        /^iterables\[1\]\[1\]\.handler /,
        1,
      ],
      [pool.mapWith({ chunksize: 2 }, (o: unknown) => typeof o, [1, 2, 3, bad]), /^items\[3\]\.handler /, 2],
      [
        pool.mapWith({ chunksize: 2 }, (x: number, o: unknown) => [x, typeof o], [1, 2, 3], [0, 0, bad]),
        /^iterables\[1\]\[2\]\.handler /,
        2,
      ],
    ];
    for (const [it, path, before] of cases) {
      const got: unknown[] = [];
      const err = await (async () => {
        for await (const v of it) got.push(v);
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MarshalError);
      expect((err as Error).message).toMatch(path);
      expect(got.length).toBe(before);
    }
  });
});
