import { DistributedExecutor } from "@weft/distributed";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { startRedis } from "../scripts/local-redis.mjs";
import { freshQueue, startWorker, task } from "./helpers.js";

let redis: { url: string; halt(signal?: string): Promise<void>; stop(): Promise<void> } | undefined;
afterAll(() => redis?.stop());

const within = <T>(p: Promise<T>, ms: number): Promise<T | "still waiting"> =>
  Promise.race([p, new Promise<"still waiting">((r) => setTimeout(r, ms, "still waiting").unref())]);

describe("shutdown() while Redis is away", () => {
  it("completes (nothing is pending) instead of waiting for Redis to come back", async () => {
    const server = await startRedis();
    redis = server;
    const queue = freshQueue("away");
    const worker = await startWorker(queue, [], server.url);
    const ex = new DistributedExecutor({ connection: server.url, queue, onError: () => {} });
    expect(await ex.submit(task("add"), 1, 2).result()).toBe(3);
    await server.halt("SIGKILL");
    await new Promise((r) => setTimeout(r, 300)); // the clients see the connection drop
    expect(
      await within(
        ex.shutdown().then(() => "done"),
        5000,
      ),
    ).toBe("done");
    await worker.stop("SIGKILL");
  });
});
