import { DistributedExecutor, RedisConnectionError } from "@weft/distributed";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { startRedis } from "../scripts/local-redis.mjs";
import { freshQueue, settleCounter, startWorker, task, until } from "./helpers.js";

let redis: { stop(): Promise<void> } | undefined;
afterAll(() => redis?.stop()); // also when the test fails or times out: no server or data is left

describe("Redis restarts mid-run", () => {
  it("no future is lost or settled twice; the outage is reported clearly, once", {
    timeout: 60_000,
  }, async () => {
    const server = await startRedis({ appendonly: true }); // durable: the queue survives the restart
    redis = server;
    const queue = freshQueue("restart");
    const worker = await startWorker(
      queue,
      // A completion in flight when Redis dies is lost with it; the job then stays active until its lock
      // runs out and is run again (at-least-once): short locks keep that within the test.
      ["--concurrency", "8", "--lock-duration", "1000", "--stalled-interval", "500"],
      server.url,
    );
    const errors: Error[] = [];
    const ex = new DistributedExecutor({
      connection: server.url,
      queue,
      onError: (e) => errors.push(e),
    });
    const before = Array.from({ length: 120 }, (_, i) => ex.submit(task("sleep"), 20, i));
    const counts = settleCounter(before);
    await until(() => before.filter((f) => f.done()).length >= 20, "some jobs to finish");
    await server.halt("SIGKILL"); // a crash, mid-run
    const during = Array.from({ length: 20 }, (_, i) => ex.submit(task("add"), i, 1000)); // while it is down
    await until(() => errors.length > 0, "the outage to be reported");
    await new Promise((r) => setTimeout(r, 300));
    await server.start();
    expect(await Promise.all(before)).toEqual(before.map((_, i) => i));
    expect(await Promise.all(during)).toEqual(during.map((_, i) => i + 1000));
    await new Promise((r) => setTimeout(r, 300));
    expect(counts.every((c) => c === 1)).toBe(true);
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(RedisConnectionError);
    expect(errors[0]!.message).toContain(`127.0.0.1:${server.port}`);
    await ex.shutdown();
    await worker.stop();
  });
});
