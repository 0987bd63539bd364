import { CancelledError, ShutdownError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// Python: res = executor.map(fn, items); executor.shutdown(wait=False); list(res) gives every result. A map
// iterator that exists before shutdown() delivers all its items; map() after shutdown() still throws.
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}
const square = (x: number) => x * x;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("a map created before shutdown()", () => {
  it("delivers every result after shutdown({ wait: false }), before iterating", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const res = pool.map(square, range(500));
    void pool.shutdown({ wait: false });
    expect(await collect(res)).toEqual(range(500).map(square));
    await pool.shutdown();
    expect(() => pool.map(square, [1])).toThrow(ShutdownError);
  });

  it("delivers every result when shutdown() is awaited before iterating", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2, maxQueue: 4 });
    const res = pool.map(square, range(300)); // more items than maxQueue: submitted at shutdown regardless
    await pool.shutdown();
    expect(pool.stats.workers).toBe(0);
    expect(await collect(res)).toEqual(range(300).map(square));
  });

  it("delivers the rest of a map that was partly iterated (chunked, several iterables, async source)", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    async function* slowNumbers() {
      for (let i = 0; i < 200; i++) {
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
        yield i;
      }
    }
    const res = pool.mapWith({ chunksize: 7 }, (x: number, y: number) => x + y, slowNumbers(), range(1000));
    const first = await res.next();
    expect(first).toEqual({ value: 0, done: false });
    const plain = pool.map(square, range(100));
    const shut = pool.shutdown(); // waits for both maps' items, though nobody iterates them yet
    const rest = await collect(res);
    expect([first.value, ...rest]).toEqual(range(200).map((i) => i * 2));
    expect(await collect(plain)).toEqual(range(100).map(square));
    await shut;
  });

  it("with cancelFutures, yields what ran and then throws CancelledError (as Python's iterator does)", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 1 });
    const started = new SharedArrayBuffer(4);
    // Marks that it started, then holds its worker for `ms`.
    const spin = (job: { started: SharedArrayBuffer; ms: number }) => {
      Atomics.store(new Int32Array(job.started), 0, 1);
      const end = Date.now() + job.ms;
      while (Date.now() < end) {}
      return job.ms;
    };
    const res = pool.map(
      spin,
      [300, 1, 1, 1].map((ms) => ({ started, ms })),
    );
    const first = res.next();
    const give = Date.now() + 20_000;
    while (Atomics.load(new Int32Array(started), 0) === 0 && Date.now() < give) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await pool.shutdown({ wait: false, cancelFutures: true });
    expect(await first).toEqual({ value: 300, done: false });
    await expect(res.next()).rejects.toBeInstanceOf(CancelledError);
    await pool.shutdown();
  });

  it("a map that is finished or closed before shutdown() is not affected", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    let pulled = 0;
    function* endless() {
      for (;;) {
        pulled++;
        yield 1;
      }
    }
    const res = pool.map(square, endless());
    await res.next();
    await res.return(undefined);
    const before = pulled;
    await pool.shutdown(); // does not try to drain the endless iterable of a closed map
    expect(pulled).toBe(before);
  });
});
