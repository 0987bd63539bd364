import { DistributedLock, RedisConnectionError, TimeoutError } from "@weft/distributed";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { startRedis } from "../scripts/local-redis.mjs";
import { closedPort, freshQueue } from "./helpers.js";

type Server = { url: string; pid: number; stop(): Promise<void> };
let redis: Server | undefined;
afterAll(async () => {
  if (redis !== undefined) process.kill(redis.pid, "SIGCONT");
  await redis?.stop();
});

/** A private Redis (these tests freeze it with SIGSTOP: the run's shared one must go on answering). */
async function privateRedis(): Promise<Server> {
  redis ??= (await startRedis()) as Server;
  return redis;
}

describe("a lease waits for Redis only within its own timeout and signal", () => {
  it("release() while Redis is gone resolves false at once (the lease runs out there)", async () => {
    const server = (await startRedis()) as Server & { halt(signal?: string): Promise<void> };
    try {
      await using lock = new DistributedLock({ connection: server.url, name: freshQueue("gone") }); // 10 s leases
      const lease = await lock.acquire();
      await server.halt("SIGKILL");
      await new Promise((r) => setTimeout(r, 300)); // the client sees the connection drop
      const outcome = await Promise.race([
        lease.release(),
        new Promise((r) => setTimeout(r, 5000, "still waiting").unref()),
      ]);
      expect(outcome).toBe(false);
      expect(lease.signal.aborted).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it("an unreachable Redis: acquire({ timeout }) rejects with RedisConnectionError once it has passed", async () => {
    await using lock = new DistributedLock({
      connection: `redis://127.0.0.1:${await closedPort()}`,
      name: "l",
    });
    const err = await lock.acquire({ timeout: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisConnectionError);
    expect((err as Error).message).toMatch(
      /could not reach Redis at 127\.0\.0\.1:\d+ within 300 ms \(ECONNREFUSED\)/,
    );
  });

  it("an unreachable Redis: an abort ends the wait with the signal's reason", async () => {
    await using lock = new DistributedLock({
      connection: `redis://127.0.0.1:${await closedPort()}`,
      name: "l",
    });
    const ac = new AbortController();
    const waiting = lock.acquire({ signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stop waiting")), 100);
    await expect(waiting).rejects.toThrow("stop waiting");
  });

  it("a Redis that stops answering: TimeoutError, and the lease its late answer took is given back", async () => {
    const server = await privateRedis();
    const name = freshQueue("stalled");
    await using a = new DistributedLock({ connection: server.url, name }); // leases of 10 s
    await using b = new DistributedLock({ connection: server.url, name });
    await (await a.acquire()).release(); // connected
    process.kill(server.pid, "SIGSTOP");
    const late = a.acquire({ timeout: 300 });
    const resumed = new Promise((r) => setTimeout(r, 800)).then(() => process.kill(server.pid, "SIGCONT"));
    await expect(late).rejects.toBeInstanceOf(TimeoutError);
    await resumed;
    // The acquiring script ran when Redis resumed: its lease must not stay held by no one for 10 s.
    const next = await b.acquire({ timeout: 3000 });
    expect(await next.release()).toBe(true);
  });

  it("release() while Redis does not answer resolves false once the lease would have run out", async () => {
    const server = await privateRedis();
    await using lock = new DistributedLock({
      connection: server.url,
      name: freshQueue("release"),
      lease: 400,
    });
    const lease = await lock.acquire();
    process.kill(server.pid, "SIGSTOP");
    let resumed = false;
    const resume = new Promise((r) => setTimeout(r, 2500)).then(() => {
      resumed = true;
      process.kill(server.pid, "SIGCONT");
    });
    expect(await lease.release()).toBe(false);
    expect(resumed).toBe(false); // it did not wait for Redis to be back
    expect(lease.signal.aborted).toBe(true);
    await resume;
  });
});
