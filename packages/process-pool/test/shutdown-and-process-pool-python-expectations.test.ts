import { spawnSync } from "node:child_process";
import { BrokenExecutorError, PoolOptionError, ProcessPoolExecutor, ShutdownError } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// CPython Lib/test/test_concurrent_futures/test_process_pool.py, test_shutdown.py (ProcessPoolShutdownTest)
// and test_init.py (FailingInitializerMixin), mapped to weft: BrokenProcessPool -> BrokenExecutorError,
// RuntimeError after shutdown -> ShutdownError, len(executor._processes) -> stats.workers,
// max_tasks_per_child -> maxTasksPerChild, os.getpid -> the pid fixture.

const pid = fixture<() => number>("pid");
const add = fixture<(a: number, b: number) => number>("add");
const spin = fixture<(ms: number) => number>("spin");
const mul = (x: number, y: number) => x * y;

describe("ProcessPoolExecutorTest", () => {
  it("test_idle_process_reuse_one: tasks submitted one after another reuse one child", async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 4 });
    expect(await executor.submit(mul, 21, 2).result()).toBe(42);
    expect(await executor.submit(mul, 6, 7).result()).toBe(42);
    expect(await executor.submit(mul, 3, 14).result()).toBe(42);
    expect(executor.stats.workers).toBe(1);
  }, 30_000);

  it("test_idle_process_reuse_multiple: alternating waited and unwaited tasks start at most 3 children", async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 5 });
    await executor.submit(mul, 12, 7).result();
    executor.submit(mul, 33, 25);
    await executor.submit(mul, 25, 26).result();
    executor.submit(mul, 18, 29);
    await executor.submit(mul, 1, 2).result();
    executor.submit(mul, 0, 9);
    expect(executor.stats.workers).toBeLessThanOrEqual(3);
    await executor.shutdown();
  }, 30_000);

  it("test_max_tasks_per_child: the child is reused for its quota, then one new child takes over", async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 3 });
    const originalPid = await executor.submit(pid).result();
    expect(await executor.submit(pid).result()).toBe(originalPid);
    expect(executor.stats.workers).toBe(1);
    expect(await executor.submit(pid).result()).toBe(originalPid);
    const f4 = await executor.submit(pid).result();
    expect(f4).not.toBe(originalPid);
    expect(executor.stats.workers).toBe(1);
    await executor.shutdown();
  }, 30_000);

  it("test_max_tasks_early_shutdown: maxTasksPerChild 1 with 6 tasks on 3 children: every result arrives", async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 3, maxTasksPerChild: 1 });
    const futures = Array.from({ length: 6 }, (_, i) => executor.submit(mul, i, i));
    await executor.shutdown();
    expect(await Promise.all(futures.map((f) => f.result()))).toEqual([0, 1, 4, 9, 16, 25]);
  }, 30_000);

  for (const maxWorkers of [2, 4]) {
    it(`test_shutdown_gh_132969 (maxWorkers ${maxWorkers}): a failing task with maxTasksPerChild 1, then shutdown({ wait: false })`, async () => {
      const executor = new ProcessPoolExecutor({ maxWorkers, maxTasksPerChild: 1 });
      const good = (n: number) => {
        const end = Date.now() + 100 * n;
        while (Date.now() < end) {}
        return n;
      };
      const f1 = executor.submit(good, 1);
      const f2 = executor.submit((n: number) => {
        throw new RangeError(`failing task ${n}`);
      }, 2);
      const f3 = executor.submit(good, 3);
      let result = 0;
      try {
        result += await f1.result();
        result += await f2.result();
        result += await f3.result();
      } catch (error) {
        expect(error).toBeInstanceOf(RangeError);
      }
      expect(result).toBe(1);
      await executor.shutdown({ wait: false });
      expect(await f3.result({ timeout: 20_000 })).toBe(3); // cancelFutures false: it still runs
      const end = Date.now() + 20_000;
      while (executor.stats.workers > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(executor.stats.workers).toBe(0);
    }, 40_000);
  }

  it("test_map_chunksize: any chunksize >= 1 gives map's results in order; chunksize -1 is refused", async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    const range = Array.from({ length: 40 }, (_, i) => i);
    const ref = range.map((i) => i ** i);
    const pow = (a: number, b: number) => a ** b;
    for (const chunksize of [6, 50, 40]) {
      const out: number[] = [];
      for await (const v of executor.mapWith({ chunksize }, pow, range, range)) out.push(v);
      expect(out).toEqual(ref);
    }
    expect(() => executor.mapWith({ chunksize: -1 }, pow, range, range)).toThrow(PoolOptionError);
  }, 30_000);

  it("test_max_workers_negative: maxWorkers 0 or -1 is refused naming maxWorkers", () => {
    for (const maxWorkers of [0, -1]) {
      expect(() => new ProcessPoolExecutor({ maxWorkers })).toThrow(PoolOptionError);
      expect(() => new ProcessPoolExecutor({ maxWorkers })).toThrow(/maxWorkers/);
    }
  });
});

describe("ProcessPoolShutdownTest", () => {
  it("test_run_after_shutdown: submit, run and map after shutdown are refused", async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    await executor.shutdown();
    expect(() => executor.submit(add, 2, 5)).toThrow(ShutdownError);
    await expect(executor.run(add, 2, 5)).rejects.toThrow(ShutdownError);
    expect(() => executor.map(add, [1], [2])).toThrow(ShutdownError);
  });

  it("test_interpreter_shutdown: a pool never shut down finishes its running task before the parent exits", () => {
    const script = `
      import { ProcessPoolExecutor } from "@weft/process-pool";
      const pool = new ProcessPoolExecutor({ maxWorkers: 5 });
      pool.submit(async (ms, text) => { await new Promise((r) => setTimeout(r, ms)); console.log(text); }, 300, "apple");
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url),
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("apple");
    expect(r.status).toBe(0);
  }, 40_000);

  it("test_context_manager_shutdown: await using maps, then ends every child", async () => {
    let kept: ProcessPoolExecutor | undefined;
    {
      await using e = new ProcessPoolExecutor({ maxWorkers: 2 });
      kept = e;
      const out: number[] = [];
      for await (const v of e.map((x: number) => Math.abs(x), [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]))
        out.push(v);
      expect(out).toEqual([5, 4, 3, 2, 1, 0, 1, 2, 3, 4]);
    }
    expect(kept.stats.workers).toBe(0);
    expect(() => kept.submit(add, 1, 1)).toThrow(ShutdownError);
  }, 30_000);

  it("test_shutdown_no_wait: a map made before shutdown({ wait: false }) still yields every result", async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    const inputs = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4];
    const res = executor.map((x: number) => Math.abs(x), inputs);
    await executor.shutdown({ wait: false });
    const out: number[] = [];
    for await (const v of res) out.push(v);
    expect(out).toEqual(inputs.map(Math.abs));
  }, 30_000);

  it("test_cancel_futures: shutdown({ cancelFutures: true }) cancels most queued tasks; the rest finish", async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 2, window: 1 });
    const fs = Array.from({ length: 50 }, () => executor.submit(spin, 20));
    while (!fs.some((f) => f.running())) await new Promise((r) => setTimeout(r, 1));
    await executor.shutdown({ cancelFutures: true });
    expect(fs.filter((f) => f.cancelled()).length).toBeGreaterThan(20);
    const others = fs.filter((f) => !f.cancelled());
    expect(others.length).toBeGreaterThan(0);
    for (const f of others) {
      expect(f.done()).toBe(true);
      expect(await f.exception()).toBeUndefined();
    }
  }, 30_000);
});

describe("FailingInitializerMixin (ProcessPoolExecutor)", () => {
  it("a failing initializer fails every pending task with BrokenExecutorError, and later submit, run and map", async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 2, initializer: fixture("failInit") });
    const pending = Array.from({ length: 5 }, (_, i) => executor.submit(add, i, 1));
    for (const f of pending) {
      const error = await f.exception();
      expect(error).toBeInstanceOf(BrokenExecutorError);
      expect((error as Error).message).toMatch(/initializer refused/);
    }
    expect(() => executor.submit(add, 1, 2)).toThrow(BrokenExecutorError);
    await expect(executor.run(add, 1, 2)).rejects.toThrow(BrokenExecutorError);
    expect(() => executor.map(add, [1], [2])).toThrow(BrokenExecutorError);
    await executor.shutdown();
  }, 30_000);
});
