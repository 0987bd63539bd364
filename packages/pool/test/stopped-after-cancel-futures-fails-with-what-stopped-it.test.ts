import { TaskTimeoutError, ThreadPoolExecutor } from "@weft/pool";
import { Event } from "@weft/sync";
import { describe, expect, it } from "vitest";

// shutdown({ cancelFutures: true }) only asks a running task to stop: one that ignores it runs on. If its
// timeout then expires, or its signal aborts, and it does not end within killAfter, its worker is stopped for
// that: its future fails with the timeout's TaskTimeoutError, or the abort's reason, as it would without the
// shutdown (before, it failed with the shutdown's CancelledError, as if a task that ran had been cancelled).
const ignoresStopRequests = (started: Event, ms: number): void => {
  started.set();
  const end = Date.now() + ms;
  while (Date.now() < end) {}
};

describe("a task asked to stop by shutdown({ cancelFutures: true }), then stopped by", () => {
  it("its timeout fails with TaskTimeoutError", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, killAfter: 50 });
    const started = new Event();
    const task = pool.submitWith({ timeout: 300 }, ignoresStopRequests, started, 5000);
    await started.wait();
    await pool.shutdown({ wait: false, cancelFutures: true });
    await expect(task).rejects.toBeInstanceOf(TaskTimeoutError);
    await pool.shutdown();
  }, 20_000);

  it("its aborted signal fails with the abort's reason", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, killAfter: 50 });
    const started = new Event();
    const ac = new AbortController();
    const task = pool.submitWith({ signal: ac.signal }, ignoresStopRequests, started, 5000);
    await started.wait();
    await pool.shutdown({ wait: false, cancelFutures: true });
    const reason = new Error("enough");
    ac.abort(reason);
    await expect(task).rejects.toBe(reason);
    await pool.shutdown();
  }, 20_000);
});
