import { DistributedExecutor } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, task } from "./helpers.js";

describe("a submit that joins a pending jobId", () => {
  it("still honours its own AbortSignal (aborted later, or already aborted)", async () => {
    const queue = freshQueue("jobid-signal"); // no worker: the job waits
    const ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const first = ex.submitWith({ jobId: "order-1" }, task("add"), 1, 2);
    const ac = new AbortController();
    const joined = ex.submitWith({ jobId: "order-1", signal: ac.signal }, task("add"), 1, 2);
    const reason = new Error("gave up");
    ac.abort(reason);
    expect(joined.done()).toBe(true);
    await expect(joined).rejects.toBe(reason);
    const pre = new Error("aborted before");
    const late = ex.submitWith({ jobId: "order-1", signal: AbortSignal.abort(pre) }, task("add"), 1, 2);
    expect(late.done()).toBe(true);
    await expect(late).rejects.toBe(pre);
    expect(first.done()).toBe(false); // the job is still there for the first future
    await ex.shutdown({ cancelFutures: true });
    expect(first.cancelled()).toBe(true);
  });
});
