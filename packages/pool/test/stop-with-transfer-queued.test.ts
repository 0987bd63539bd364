import { ThreadPoolExecutor, transfer } from "@weft/pool";
import { describe, expect, it } from "vitest";

// A task whose ArrayBuffers were transferred to a worker cannot run anywhere else. When weft stops that worker
// itself (another task's timeout) before the task started, the task must fail with a typed error, and the
// executor must go on: before, the core threw a TypeError from a timer and the whole process crashed.
describe("weft stops a worker that holds an unstarted task with a transfer list", () => {
  it("fails that task with BrokenWorkerError and keeps the pool working", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, minWorkers: 1 });
    try {
      await pool.submit(() => 1); // the worker is up
      const spin = pool.submitWith({ timeout: 200 }, () => {
        const end = Date.now() + 5_000;
        while (Date.now() < end);
        return "spun";
      });
      const buf = new ArrayBuffer(8);
      const moved = pool.submit((b: ArrayBuffer) => b.byteLength, transfer(buf, [buf]));
      expect(await spin.exception()).toMatchObject({ name: "TaskTimeoutError" });
      expect(await moved.exception()).toMatchObject({ name: "BrokenWorkerError" });
      expect(await pool.submit((n: number) => n + 1, 1)).toBe(2);
    } finally {
      await pool.shutdown();
    }
  }, 30_000);
});
