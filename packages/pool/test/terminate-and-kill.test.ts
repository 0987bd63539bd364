import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CancelledError, ShutdownError, ThreadPoolExecutor, WorkerTerminatedError } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/stuck-then-exit.mjs", import.meta.url));

describe.each(["terminateWorkers", "killWorkers"] as const)("%s()", (method) => {
  it("fails running tasks with WorkerTerminatedError, cancels queued ones, keeps finished results, shuts down", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2, window: 4 });
    const done = await pool.submit(fixture("add"), 1, 2);
    const stuck = [pool.submit(fixture("blockForever")), pool.submit(fixture("blockForever"))];
    const queued = Array.from({ length: 10 }, (_, i) => pool.submit(fixture("add"), i, 0));
    while (!stuck.every((f) => f.running())) await new Promise((r) => setTimeout(r, 5));
    await pool[method]();
    for (const f of stuck) {
      const err = await f.exception();
      expect(err).toBeInstanceOf(WorkerTerminatedError);
      expect((err as WorkerTerminatedError).code).toBe("ERR_WEFT_WORKER_TERMINATED");
      expect((err as WorkerTerminatedError).by).toBe(method);
    }
    for (const f of queued) {
      expect(f.cancelled()).toBe(true);
      await expect(f).rejects.toBeInstanceOf(CancelledError);
    }
    expect(done).toBe(3);
    expect(pool.stats.workers).toBe(0);
    expect(() => pool.submit(fixture("add"), 1, 1)).toThrow(ShutdownError);
    await pool.shutdown(); // already done: resolves
  }, 30_000);

  it("results of quick tasks finished just before the stop are delivered", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, minWorkers: 1, window: 64 });
    await pool.submit(fixture("add"), 0, 0);
    const quick = Array.from({ length: 40 }, (_, i) => pool.submit(fixture("add"), i, 1));
    const stuck = pool.submit(fixture("spin"), 600);
    while (!stuck.running()) await new Promise((r) => setImmediate(r));
    await pool[method]();
    // each quick task either finished (its value) or never started (cancelled): never a failure
    for (const [i, f] of quick.entries()) {
      if (f.cancelled()) continue;
      expect(await f).toBe(i + 1);
    }
  }, 30_000);
});

describe("a task that never ends does not keep the script alive", () => {
  it("after shutdown({ wait: false, cancelFutures: true }) the script exits", async () => {
    const { stdout } = await run(process.execPath, [script, "cancel"], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ stuck: false, queuedCancelled: true });
  }, 30_000);

  it("terminateWorkers() ends it, and the script exits", async () => {
    const { stdout } = await run(process.execPath, [script, "terminate"], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ stuck: "WorkerTerminatedError", queuedCancelled: true });
  }, 30_000);
});
