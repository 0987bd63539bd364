import { DistributedExecutor, ShutdownError } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, task, until } from "./helpers.js";

describe("map through a queue", () => {
  it("submits a bounded number ahead; breaking out cancels the rest, which never run", async () => {
    const queue = freshQueue("map-break");
    const server = await serveHere(queue, { concurrency: 2 });
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const seen: number[] = [];
    for await (const v of ex.mapWith(
      { buffersize: 4 },
      task("sleep"),
      [20, 20, 20, 20, 20, 20, 20, 20, 20, 20],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    )) {
      seen.push(v as number);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([0, 1, 2]);
    await until(() => ex.stats.pending === 0 && server.stats.running === 0, "the cancelled calls to go");
    expect(server.stats.completed).toBeLessThan(10);
  });

  it("chunks of calls and async iterables; a map created before shutdown still delivers everything", async () => {
    const queue = freshQueue("map-shutdown");
    await serveHere(queue, { concurrency: 2 });
    const ex = new DistributedExecutor({ connection: redisUrl(), queue });
    async function* numbers() {
      for (let i = 0; i < 25; i++) yield i;
    }
    const it = ex.mapWith({ chunksize: 4 }, task("add"), numbers(), Array(25).fill(100));
    const closing = ex.shutdown();
    expect(() => ex.map(task("add"), [1], [2])).toThrow(ShutdownError);
    const out: number[] = [];
    for await (const v of it) out.push(v);
    await closing;
    expect(out).toEqual(Array.from({ length: 25 }, (_, i) => i + 100));
  });
});
