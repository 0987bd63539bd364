import { CancelledError, DistributedExecutor } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, startWorker, task, until } from "./helpers.js";

describe("cancellation", () => {
  it("aborting a running job's signal aborts its task on the worker; the future fails with the reason", async () => {
    const queue = freshQueue("abort");
    const server = await serveHere(queue);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const ac = new AbortController();
    const f = ex.submitWith({ signal: ac.signal }, task("sleep"), 60_000, "never");
    await until(() => f.running(), "the job to start");
    const reason = new Error("user gave up");
    ac.abort(reason);
    await expect(f).rejects.toBe(reason);
    await until(() => server.stats.running === 0, "the worker's task to end"); // not after 60 s
    expect(await ex.submit(task("add"), 1, 1)).toBe(2);
  });

  it("aborting a waiting job removes it: it never runs", async () => {
    const queue = freshQueue("abort-waiting");
    const server = await serveHere(queue);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const busy = ex.submit(task("sleep"), 300, "busy");
    await until(() => busy.running(), "the first job to start");
    const ac = new AbortController();
    const waiting = ex.submitWith({ signal: ac.signal }, task("whoRuns"), 0, "must not run");
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    expect(await busy).toBe("busy");
    const before = server.stats.completed;
    expect(await ex.submit(task("add"), 2, 2)).toBe(4);
    expect(server.stats.completed).toBe(before + 1); // the aborted job was not run in between
  });

  it("shutdown({ cancelFutures }) removes waiting jobs and aborts running ones on another process", async () => {
    const queue = freshQueue("shutdown-cancel");
    const worker = await startWorker(queue, ["--concurrency", "1"]);
    const ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const running = ex.submit(task("sleep"), 60_000, "cooperative");
    const waiting = [1, 2, 3].map((i) => ex.submit(task("add"), i, 0));
    await until(() => running.running(), "the job to start");
    await ex.shutdown({ cancelFutures: true });
    // its task saw the signal and ended with its reason: the future fails as in the pools, with CancelledError
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    for (const f of waiting) await expect(f).rejects.toBeInstanceOf(CancelledError);
    await worker.stop();
  });
});
