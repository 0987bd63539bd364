import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { Event, Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { toldAbandoned } from "./conformance/test-support.js";

// A Thread that a pool task started ends when its pool worker ends (Node stops a worker's own workers first).
// A lock it held then is abandoned, as one its worker held would be: the next acquirer gets it with
// AbandonedLockError instead of waiting for ever for a holder that is gone.

const tasks = new URL("./fixtures/thread-holding-lock.mjs", import.meta.url);
const startHolder = moduleTask<(lock: Lock, held: Event) => Promise<string>>(tasks, "startHolder");

describe("a lock held by a Thread of a pool worker that ends", () => {
  for (const how of ["shutdown", "terminateWorkers"] as const) {
    it(`is abandoned once the worker is gone (${how})`, async () => {
      const lock = new Lock();
      const held = new Event();
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      expect(await pool.submit(startHolder, lock, held)).toBe("held");
      if (how === "shutdown") await pool.shutdown();
      else await pool.terminateWorkers();
      await pool.shutdown();
      expect(lock.locked()).toBe(true);
      (await toldAbandoned(lock.acquire({ timeout: 5000 }))).release();
      expect(lock.locked()).toBe(false);
    }, 30_000);
  }
});
