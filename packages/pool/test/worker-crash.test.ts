import { BrokenWorkerError, type Future, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("a worker that crashes", () => {
  it("process.exit fails only the running task with BrokenWorkerError carrying the exit code", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 8 });
    const before = [1, 2, 3].map((i) => pool.submit(fixture("add"), i, 0));
    const crash = pool.submit(fixture("exitWith"), 3);
    const after = [4, 5, 6].map((i) => pool.submit(fixture("add"), i, 0));
    const err = await crash.exception();
    expect(err).toBeInstanceOf(BrokenWorkerError);
    expect((err as BrokenWorkerError).exitCode).toBe(3);
    expect((err as BrokenWorkerError).message).toMatch(/exited with code 3/);
    expect(await Promise.all(before)).toEqual([1, 2, 3]);
    // the tasks queued behind it on the same worker were retried on its replacement
    expect(await Promise.all(after)).toEqual([4, 5, 6]);
    expect(pool.stats.workers).toBe(1);
  });

  it("an uncaught error outside the task breaks only that worker's running task, with the error as cause", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const bad = pool.submit(fixture("throwLater"));
    const good = Array.from({ length: 20 }, (_, i) => pool.submit(fixture("sleepThen"), 1, i));
    const err = (await bad.exception()) as BrokenWorkerError;
    expect(err).toBeInstanceOf(BrokenWorkerError);
    expect(err.exitCode).toBe(1);
    expect((err.cause as Error).message).toBe("uncaught in a timer");
    expect(await Promise.all(good)).toEqual([...Array(20).keys()]);
  });

  it("running out of memory (resourceLimits) fails only that task", async () => {
    await using pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    });
    const oom = pool.submit(fixture("exhaustMemory"));
    const next = pool.submit(fixture("add"), 20, 22);
    const err = (await oom.exception()) as BrokenWorkerError;
    expect(err).toBeInstanceOf(BrokenWorkerError);
    expect(String((err.cause as Error | undefined)?.message ?? err.message)).toMatch(/memory|exited/i);
    expect(await next).toBe(42);
  }, 30_000);

  it("soak: random crashes among 10k tasks; every task is accounted for", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, window: 32 });
    const n = 10_000;
    // deterministic pseudo-random crash positions (about 25 crashes)
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const crashes = new Set<number>();
    const futures: Future<number>[] = [];
    for (let i = 0; i < n; i++) {
      const crash = rand() < 0.0025;
      if (crash) crashes.add(i);
      futures.push(pool.submit(fixture<(x: number, c: boolean) => number>("maybeCrash"), i, crash));
    }
    let ok = 0;
    let broken = 0;
    const wrong: number[] = [];
    await Promise.all(
      futures.map((f, i) =>
        f.then(
          (v) => {
            if (v === i * 2 && !crashes.has(i)) ok++;
            else wrong.push(i);
          },
          (e) => {
            if (e instanceof BrokenWorkerError && e.exitCode === 7 && crashes.has(i)) broken++;
            else wrong.push(i);
          },
        ),
      ),
    );
    expect(wrong).toEqual([]);
    expect(crashes.size).toBeGreaterThan(5);
    // only the crashing tasks fail: every other task completed despite sharing windows with them
    expect(broken).toBe(crashes.size);
    expect(ok + broken).toBe(n);
    expect(futures.every((f) => f.done())).toBe(true);
  }, 60_000);
});
