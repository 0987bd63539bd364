import { DistributedExecutor } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, task } from "./helpers.js";

describe("map on an executor with maxQueue", () => {
  it("waits for room (as the pools' map does) instead of throwing QueueFullError", async () => {
    const queue = freshQueue("map-maxqueue");
    await serveHere(queue, { concurrency: 2 });
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue, maxQueue: 2 });
    const out: number[] = [];
    for await (const v of ex.map(task("add"), [1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0])) {
      out.push(v);
      expect(ex.stats.pending).toBeLessThanOrEqual(2);
    }
    expect(out).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
