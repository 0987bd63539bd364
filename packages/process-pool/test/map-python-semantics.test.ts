import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CancelledError,
  moduleTask,
  PoolOptionError,
  ProcessPoolExecutor,
  TimeoutError,
} from "@weft/process-pool";
import { afterAll, describe, expect, it } from "vitest";

// Python's Executor.map semantics over child processes: map(fn, *iterables), a timeout that cancels the
// waited-on call and every later one, and a map created before shutdown() that still delivers everything.
const url = new URL("./fixtures/map-tasks.mjs", import.meta.url);
const record = moduleTask<(path: string, i: number) => number>(url, "record");
const sleepThen = moduleTask<(ms: number, value: number) => Promise<number>>(url, "sleepThen");
const dir = mkdtempSync(join(tmpdir(), "weft-map-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}
const recorded = (path: string): string[] => {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

describe("ProcessPoolExecutor map", () => {
  it("zips several iterables, stops at the shortest, and checks every element", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    expect(await collect(ex.map((x: number, y: number) => x * y, [1, 2, 3], [4, 5, 6, 7]))).toEqual([
      4, 10, 18,
    ]);
    expect(
      await collect(
        ex.mapWith({ chunksize: 2 }, (x: number, s: string) => `${s}${x}`, [1, 2, 3], ["a", "b", "c"]),
      ),
    ).toEqual(["a1", "b2", "c3"]);
    const bad = async () =>
      collect(ex.map((x: number, y: unknown) => [x, y], [1, 2], [0, new SharedArrayBuffer(1)]));
    await expect(bad()).rejects.toThrow(/^iterables\[1\]\[1\] is a SharedArrayBuffer/);
    expect(() => (ex.map as (...a: unknown[]) => unknown)((x: number) => x, [1], { chunksize: 2 })).toThrow(
      PoolOptionError,
    );
  });

  it("a timeout cancels the call it waited on and every later one: none of them runs afterwards", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, window: 1 });
    const path = join(dir, "timeout.log");
    const blocker = ex.submit(sleepThen, 1500, -1); // the only child is busy: map's calls wait
    const run = () => collect(ex.mapWith({ timeout: 200 }, record, [path, path, path, path], [0, 1, 2, 3]));
    await expect(run()).rejects.toBeInstanceOf(TimeoutError);
    expect(await blocker).toBe(-1);
    // Tasks run in order on the one child: once this one has run, any map call left would have run too.
    expect(await ex.submit(record, path, 99)).toBe(99);
    expect(recorded(path)).toEqual(["99"]);
  });

  it("a map created before shutdown() delivers every result; with cancelFutures it throws CancelledError", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const squares = ex.map(
      (x: number) => x * x,
      Array.from({ length: 50 }, (_, i) => i),
    );
    const sums = ex.mapWith({ chunksize: 4 }, (x: number, y: number) => x + y, [1, 2, 3], [10, 20, 30]);
    await ex.shutdown();
    expect(await collect(squares)).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
    expect(await collect(sums)).toEqual([11, 22, 33]);

    const ex2 = new ProcessPoolExecutor({ maxWorkers: 1, window: 1 });
    const slow = ex2.map(sleepThen, [300, 300, 300], [1, 2, 3]);
    const first = slow.next();
    while (ex2.stats.inflight === 0) await new Promise((r) => setTimeout(r, 10));
    await ex2.shutdown({ wait: false, cancelFutures: true });
    const got: unknown[] = [];
    try {
      got.push((await first).value);
      for (;;) {
        const step = await slow.next();
        if (step.done) break;
        got.push(step.value);
      }
    } catch (err) {
      got.push(err);
    }
    expect(got.at(-1)).toBeInstanceOf(CancelledError);
    await ex2.shutdown();
  });
});
