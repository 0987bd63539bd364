import { ShutdownError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// run() with whenFull: "wait" parks each caller until the queue has room. Parking and waking must cost O(1)
// per caller: 200,000 waiting calls used to take ~45 s (each wake-up shifted an array of every waiter);
// they now take about a second. The test's own time limit (60 s) is the failing condition on old code.
describe("run() with whenFull: wait", () => {
  it("200,000 waiting calls all run, first come first served", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, maxQueue: 64, whenFull: "wait" });
    const n = 200_000;
    const order: number[] = [];
    const calls = new Array<Promise<number>>(n);
    for (let i = 0; i < n; i++) {
      calls[i] = pool
        .run((x: number) => x, i)
        .then((v) => {
          order.push(v);
          return v;
        });
    }
    const values = await Promise.all(calls);
    for (let i = 0; i < n; i += 997) expect(values[i]).toBe(i);
    // a waiting call never overtakes one that waited longer: results of later calls never come much earlier
    // than those of earlier ones (at most a window's worth of reordering across the two workers)
    let maxInversion = 0;
    for (let i = 0; i < n; i++) maxInversion = Math.max(maxInversion, order[i]! - i);
    expect(maxInversion).toBeLessThan(1000);
  }, 60_000);

  it("callers still waiting at shutdown reject with ShutdownError", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, maxQueue: 1, whenFull: "wait" });
    const calls = Array.from({ length: 50 }, (_, i) => pool.run((x: number) => x, i));
    await Promise.resolve();
    void pool.shutdown({ wait: false });
    const settled = await Promise.allSettled(calls);
    const rejected = settled.filter((s) => s.status === "rejected");
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ShutdownError);
    await pool.shutdown();
  }, 30_000);
});
