import { CancelledError, type Future, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("cancel() and running()", () => {
  it("cancels tasks still in the queue and tasks posted to a worker that have not started", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 4 });
    const first = pool.submit(fixture("spin"), 150);
    const rest: Future<unknown>[] = [];
    for (let i = 0; i < 10; i++) rest.push(pool.submit(fixture("add"), i, 0));
    await until(() => first.running(), "the first task to run");
    expect(first.cancel()).toBe(false);
    expect(first.cancelled()).toBe(false);
    // some of rest sit in the worker's window (posted, not started), others in the queue: all cancellable
    expect(pool.stats.inflight).toBeGreaterThan(1);
    for (const f of rest) {
      expect(f.running()).toBe(false);
      expect(f.cancel()).toBe(true);
      expect(f.cancelled()).toBe(true);
    }
    expect(typeof (await first)).toBe("number");
    for (const f of rest) await expect(f).rejects.toBeInstanceOf(CancelledError);
    // the worker skipped them and is free for new work
    expect(await pool.submit(fixture("add"), 40, 2)).toBe(42);
  });

  it("a finished task cannot be cancelled", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = pool.submit(fixture("add"), 1, 1);
    await f;
    expect(f.cancel()).toBe(false);
    expect([f.done(), f.running(), f.cancelled()]).toEqual([true, false, false]);
  });

  it("shutdown({ cancelFutures: true }) cancels what has not started and lets the running task finish", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 4 });
    const running = pool.submit(fixture("spin"), 100);
    const waiting = Array.from({ length: 10 }, (_, i) => pool.submit(fixture("add"), i, 0));
    await until(() => running.running(), "the first task to run");
    await pool.shutdown({ cancelFutures: true });
    expect(running.done() && !running.cancelled()).toBe(true);
    expect(waiting.every((f) => f.cancelled())).toBe(true);
  });

  it("after shutdown({ cancelFutures: true }) a running task that ignores it keeps its own error", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const own = pool.submit(fixture("failsByItself"), 150);
    const stopped = pool.submit(fixture("stepsUntilStopped"));
    await until(() => own.running(), "the first task to start");
    await pool.shutdown({ cancelFutures: true });
    const e = await own.exception();
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe("the task's own error");
    // Cancelled while it waited: never ran.
    expect(stopped.cancelled()).toBe(true);
  });

  it("after shutdown({ cancelFutures: true }) a running task that stops for it fails with CancelledError", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = pool.submit(fixture("stepsUntilStopped"));
    await until(() => f.running(), "the task to start");
    await pool.shutdown({ cancelFutures: true });
    expect(await f.exception()).toBeInstanceOf(CancelledError);
  });

  it("done callbacks see a cancelled future at once", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const blocker = pool.submit(fixture("spin"), 50);
    const f = pool.submit(fixture("add"), 1, 2);
    const seen: boolean[] = [];
    f.addDoneCallback((x) => seen.push(x.cancelled()));
    expect(f.cancel()).toBe(true);
    expect(seen).toEqual([true]);
    await blocker;
  });
});
