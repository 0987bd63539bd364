import { DistributedExecutor } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, settleCounter, startWorker, task, until } from "./helpers.js";

// Short locks so that BullMQ's stall detection notices the dead worker within about a second.
const fast = ["--lock-duration", "800", "--stalled-interval", "300"];

describe("a worker killed mid-job", () => {
  it("its jobs run again on another worker; every future settles once with the right value", async () => {
    const queue = freshQueue("killed");
    const doomed = await startWorker(queue, ["--concurrency", "4", ...fast]);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const futures = Array.from({ length: 8 }, (_, i) => ex.submit(task("whoRuns"), 400, i));
    const counts = settleCounter(futures);
    await until(() => futures.filter((f) => f.running()).length >= 4, "the doomed worker to take four jobs");
    await doomed.stop("SIGKILL");
    const survivor = await startWorker(queue, ["--concurrency", "4", ...fast]);
    const results = await Promise.all(futures);
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.every((r) => r.pid === survivor.pid)).toBe(true); // nothing finished on the dead one
    expect(results.filter((r) => r.attempt === 2).length).toBe(4); // the four it held ran a second time
    await new Promise((r) => setTimeout(r, 300));
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    await survivor.stop();
  });
});
