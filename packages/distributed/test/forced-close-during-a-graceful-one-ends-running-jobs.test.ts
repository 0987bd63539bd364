import { DistributedExecutor } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, task, until } from "./helpers.js";

// Short locks, so that BullMQ notices the job the closed server left within about a second.
const fast = { lockDuration: 800, stalledInterval: 300 };

// A worker asked to close gracefully waits for its running jobs; asked again with force (a second Ctrl-C),
// it must stop waiting: the jobs' signals abort and they run again on another worker, as after a forced close.
describe("QueueServer.close({ force: true }) while a graceful close waits", () => {
  it("aborts the running jobs, ends the close, and the jobs run again elsewhere", async () => {
    const queue = freshQueue("escalate");
    const first = await serveHere(queue, fast);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const future = ex.submit(task("attemptAfter"), 3000);
    await until(() => first.stats.running === 1, "the job to start on the first server");
    let gracefulDone = false;
    const graceful = first.close().then(() => {
      gracefulDone = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(gracefulDone).toBe(false); // waiting for the job
    await first.close({ force: true });
    await graceful;
    expect(first.stats.running).toBe(0); // its job was aborted, not waited for
    expect(future.done()).toBe(false); // and not reported as failed
    await serveHere(queue, fast);
    expect(await future).toBe(2); // run again, by the second server
  });
});
