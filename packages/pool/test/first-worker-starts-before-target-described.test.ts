import { ThreadPoolExecutor } from "@weft/pool";
import { ClosureError } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// A pool's first task starts its first worker before the target is described: describing a function is the
// slowest step of a cold start (acorn's first load and a parse), and the worker boots meanwhile. What a user can
// see of the order: a first submit that throws while describing its target has already started that worker, an
// idle one, which the next task uses (no second worker), and which shutdown ends.
describe("the first worker starts before the first target is described", () => {
  it("a first submit refused for its target leaves one idle worker, which runs the next task", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const outer = 2;
      expect(() => pool.submit((x: number) => x * outer, 1)).toThrow(ClosureError);
      expect(pool.stats).toEqual({ workers: 1, queued: 0, inflight: 0 });
      expect(await pool.submit((x: number) => x * 3, 2)).toBe(6);
      expect(pool.stats.workers).toBe(1);
    } finally {
      await pool.shutdown();
    }
    expect(pool.stats.workers).toBe(0);
  });

  it("a target already described, or a pool that has workers, starts no worker early", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    try {
      const add = fixture("add");
      expect(await pool.submit(add, 1, 2)).toBe(3);
      expect(pool.stats.workers).toBe(1);
      const outer = 2;
      // The pool has a worker: a refused target starts none.
      expect(() => pool.submit((x: number) => x + outer, 1)).toThrow(ClosureError);
      expect(pool.stats.workers).toBe(1);
    } finally {
      await pool.shutdown();
    }
  });

  it("a shut-down pool starts no worker for a submit it refuses", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    await pool.shutdown();
    expect(() => pool.submit((x: number) => x, 1)).toThrow();
    expect(pool.stats.workers).toBe(0);
  });
});
