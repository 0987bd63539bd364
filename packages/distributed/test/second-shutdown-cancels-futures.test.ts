import { DistributedExecutor } from "@weft/distributed";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freshQueue, redisUrl, task } from "./helpers.js";

const redis = new Redis(redisUrl());
afterAll(() => redis.quit());

describe("shutdown called again", () => {
  it("a later shutdown({ cancelFutures: true }) cancels the futures still waiting (as in Python and the pools)", async () => {
    const queue = freshQueue("shutdown-twice"); // no worker: the jobs wait
    const ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const futures = [1, 2, 3].map((i) => ex.submit(task("add"), i, 0));
    for (let i = 0; (await redis.llen(`bull:${queue}:wait`)) < 3; i++) {
      if (i > 2000) throw new Error("the jobs were never added");
      await new Promise((r) => setTimeout(r, 10));
    }
    await ex.shutdown({ wait: false });
    const stopping = ex.shutdown(); // someone awaits the end of the executor ...
    await ex.shutdown({ cancelFutures: true }); // ... and another caller gives up on the rest
    expect(futures.every((f) => f.cancelled())).toBe(true);
    await stopping;
    expect(await redis.llen(`bull:${queue}:wait`)).toBe(0);
  });
});
