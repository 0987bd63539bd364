import { DistributedExecutor, JobRemovedError } from "@weft/distributed";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, settleCounter, task } from "./helpers.js";

const redis = new Redis(redisUrl());
afterAll(() => redis.quit());

describe("every future settles exactly once", () => {
  it("a completion that arrives twice (or late, with another value) is ignored", async () => {
    const queue = freshQueue("twice");
    await serveHere(queue);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const f = ex.submit(task("add"), 20, 22);
    const count = settleCounter([f]);
    expect(await f).toBe(42);
    // Replay the job's completion into the queue's event stream, with a different result.
    const g = ex.submit(task("add"), 1, 1);
    expect(await g).toBe(2);
    const other = (await redis.hget(`bull:${queue}:${g.jobId}`, "returnvalue"))!;
    await redis.xadd(
      `bull:${queue}:events`,
      "*",
      "event",
      "completed",
      "jobId",
      f.jobId,
      "returnvalue",
      other,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(await f).toBe(42);
    expect(count).toEqual([1]);
  });

  it("the same jobId runs once; every future with it settles with that job's outcome, even one made later", async () => {
    const queue = freshQueue("idem");
    const server = await serveHere(queue);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const a = ex.submitWith({ jobId: "invoice-7" }, task("whoRuns"), 50, "first");
    const b = ex.submitWith({ jobId: "invoice-7" }, task("whoRuns"), 50, "second");
    expect((await a).value).toBe("first");
    expect((await b).value).toBe("first");
    // A new executor (say, the producer restarted) asks again: the finished job's kept result comes back.
    await using again = new DistributedExecutor({ connection: redisUrl(), queue });
    expect((await again.submitWith({ jobId: "invoice-7" }, task("whoRuns"), 50, "third")).value).toBe(
      "first",
    );
    expect(server.stats.completed).toBe(1);
  });

  it("a job removed by someone else rejects its future with JobRemovedError instead of hanging", async () => {
    const queue = freshQueue("removed"); // no worker: the jobs wait
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue, reconcileInterval: 100 });
    const viaEvent = ex.submit(task("add"), 1, 2);
    const silently = ex.submit(task("add"), 3, 4);
    const q = new Queue(queue, { connection: { host: "127.0.0.1", port: Number(new URL(redisUrl()).port) } });
    const key = (f: { jobId: string }) => `bull:${queue}:${f.jobId}`;
    for (let i = 0; (await redis.exists(key(viaEvent), key(silently))) < 2; i++) {
      if (i > 2000) throw new Error("the jobs were never added");
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await q.remove(viaEvent.jobId)).toBe(1); // emits a "removed" event
    await expect(viaEvent).rejects.toBeInstanceOf(JobRemovedError);
    // Deleting the job's keys emits no event at all: the periodic check finds it gone.
    await redis.lrem(`bull:${queue}:wait`, 0, silently.jobId);
    await redis.del(`bull:${queue}:${silently.jobId}`);
    await expect(silently).rejects.toBeInstanceOf(JobRemovedError);
    await q.close();
  });
});
