import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BrokenWorkerError,
  moduleTask,
  ProcessPoolExecutor,
  ShutdownError,
  TimeoutError,
} from "@weft/process-pool";
import { afterAll, describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// CPython Lib/test/test_concurrent_futures/executor.py (ExecutorTest: test_map_exception,
// test_executor_map_current_future_cancel, map without iterables) and test_process_pool.py (test_killed_child,
// 3.14's test_force_shutdown_workers_*), over child processes. BrokenProcessPool -> BrokenWorkerError for
// the one task whose child died (weft's documented difference: the pool replaces the child and goes on),
// RuntimeError after terminate/kill_workers -> ShutdownError.

const mapTasks = new URL("./fixtures/map-tasks.mjs", import.meta.url);
const record = moduleTask<(path: string, i: number) => number>(mapTasks, "record");
const sleepThen = fixture<(ms: number, value: unknown) => Promise<unknown>>("sleepThen");
const exitWith = fixture<(code: number) => never>("exitWith");
const killSelf = fixture<() => string>("killSelf");
const dir = mkdtempSync(join(tmpdir(), "weft-pp-parity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

function divmod(a: number, b: number): [number, number] {
  if (b === 0) throw new RangeError("integer division or modulo by zero");
  return [Math.floor(a / b), a % b];
}

describe("ExecutorTest (ProcessPoolExecutor)", () => {
  it("test_map_exception: two results, the error, then the iterator is finished", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const it = ex.map(divmod, [1, 1, 1, 1], [2, 3, 0, 5]);
    expect(await it.next()).toEqual({ value: [0, 1], done: false });
    expect(await it.next()).toEqual({ value: [0, 1], done: false });
    await expect(it.next()).rejects.toBeInstanceOf(RangeError);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("map(fn) without iterables yields nothing", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    // TypeScript asks for at least one iterable; the call is checked at run time.
    expect(await collect(ex.map(((x: number) => x) as never))).toEqual([]);
  });

  it("test_executor_map_current_future_cancel: map(timeout=0) on a busy pool times out; its calls never run", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const path = join(dir, "current-future-cancel.log");
    const first = ex.submit(sleepThen, 500, "first");
    const gen = ex.mapWith({ timeout: 0 }, record, [path, path], [1, 2]);
    await expect(gen.next()).rejects.toBeInstanceOf(TimeoutError);
    await gen.return(undefined);
    expect(await first).toBe("first");
    expect(await ex.submit(sleepThen, 0, "after")).toBe("after"); // one child, tasks in order
    let lines: string[] = [];
    try {
      lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
    } catch {}
    expect(lines).toEqual([]);
  });

  it("test_killed_child: the task whose child is killed fails; the pool replaces the child and goes on", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    await expect(ex.submit(killSelf)).rejects.toBeInstanceOf(BrokenWorkerError);
    expect(await ex.submit((a: number, b: number) => a + b, 20, 22)).toBe(42);
  });
});

for (const op of ["terminateWorkers", "killWorkers"] as const) {
  describe(`ProcessPoolExecutor.${op}()`, () => {
    it("test_force_shutdown_workers_stops_pool: after it, submit is refused and no child is left", async () => {
      const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
      expect(await ex.submit(sleepThen, 0, null)).toBe(null);
      await ex[op]();
      expect(() => ex.submit(sleepThen, 0, null)).toThrow(ShutdownError);
      expect(ex.stats.workers).toBe(0);
    });

    it("test_force_shutdown_workers_dead_workers: after a child died it does not throw", async () => {
      const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
      await expect(ex.submit(exitWith, 1)).rejects.toBeInstanceOf(BrokenWorkerError);
      await expect(ex[op]()).resolves.toBeUndefined();
    });

    it("test_force_shutdown_workers_not_started_yet: on a pool with no child it does nothing and resolves", async () => {
      const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
      await expect(ex[op]()).resolves.toBeUndefined();
      expect(ex.stats.workers).toBe(0);
      await ex.shutdown();
    });
  });
}
