import { BrokenWorkerError, ShutdownError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// CPython Lib/test/test_concurrent_futures/test_process_pool.py (3.14): test_force_shutdown_workers_stops_pool,
// test_force_shutdown_workers_dead_workers and test_force_shutdown_workers_not_started_yet, for
// terminate_workers() and kill_workers(), which weft's thread pool has too (terminateWorkers(),
// killWorkers(): promises that resolve once every worker has exited). RuntimeError after them -> ShutdownError,
// BrokenProcessPool for a worker that exits -> BrokenWorkerError (only that task fails: README).

const exitWith = fixture<(code: number) => never>("exitWith");

for (const op of ["terminateWorkers", "killWorkers"] as const) {
  describe(`ThreadPoolExecutor.${op}() (Python's ${op === "killWorkers" ? "kill" : "terminate"}_workers)`, () => {
    it("test_force_shutdown_workers_stops_pool: after it, submit is refused", async () => {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      expect(await pool.submit(() => null)).toBe(null);
      await pool[op]();
      expect(() => pool.submit(() => null)).toThrow(ShutdownError);
      expect(pool.stats.workers).toBe(0);
    });

    it("test_force_shutdown_workers_dead_workers: after a worker died it does not throw", async () => {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      await expect(pool.submit(exitWith, 1)).rejects.toBeInstanceOf(BrokenWorkerError);
      await expect(pool[op]()).resolves.toBeUndefined();
      expect(() => pool.submit(() => null)).toThrow(ShutdownError);
    });

    it("test_force_shutdown_workers_not_started_yet: on a pool with no worker it does nothing and resolves", async () => {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      await expect(pool[op]()).resolves.toBeUndefined();
      expect(pool.stats.workers).toBe(0);
      await pool.shutdown();
    });

    it("called twice, or after shutdown(), it resolves again", async () => {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      expect(await pool.submit(() => 1)).toBe(1);
      await pool.shutdown();
      await expect(pool[op]()).resolves.toBeUndefined();
      await expect(pool[op]()).resolves.toBeUndefined();
    });
  });
}
