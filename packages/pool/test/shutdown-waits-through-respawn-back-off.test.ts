import { BrokenExecutorError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Found by the fault soak (children SIGKILLed while starting, then shutdown()): shutdown() cleared the
// respawn back-off, so a task queued while workers were being replaced never got a worker and shutdown()
// never resolved (with nothing else alive the script then ended with exit code 13, "unsettled top-level
// await"). And a worker that died before ready after shutdown() was not counted: it was replaced at once,
// for ever (a respawn storm; the executor never broke, shutdown() never resolved).
describe("shutdown() waits through the respawn back-off", () => {
  it("a task queued during a back-off still runs when shutdown() is called meanwhile", async () => {
    const counter = new SharedArrayBuffer(4);
    const pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: fixture("dieWhileStarting"),
      initArgs: [counter, 1], // the first worker dies while starting, the second gets ready
      respawn: { backoffMs: 200 },
    });
    const f = pool.submit(fixture("add"), 2, 3);
    while (Atomics.load(new Int32Array(counter), 0) < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50)); // the death has been seen: the back-off runs
    const keepAlive = setInterval(() => {}, 1000); // so that a hang fails the test instead of ending it
    try {
      await pool.shutdown();
      expect(await f.result({ timeout: 0 })).toBe(5);
    } finally {
      clearInterval(keepAlive);
    }
  }, 20_000);

  it("workers that keep dying before ready after shutdown() break the executor after the retries", async () => {
    const counter = new SharedArrayBuffer(4);
    const pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: fixture("dieWhileStarting"),
      initArgs: [counter, 1_000_000],
      respawn: { retries: 2, backoffMs: 10 },
    });
    const f = pool.submit(fixture("add"), 1, 1);
    const keepAlive = setInterval(() => {}, 1000);
    try {
      await pool.shutdown();
      expect(await f.exception({ timeout: 0 })).toBeInstanceOf(BrokenExecutorError);
      expect(Atomics.load(new Int32Array(counter), 0)).toBe(3); // retries + 1, not a storm
    } finally {
      clearInterval(keepAlive);
    }
  }, 20_000);
});
