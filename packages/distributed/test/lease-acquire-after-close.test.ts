import { DistributedLock, DistributedSemaphore, LeaseClosedError } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl } from "./helpers.js";

// acquire() on a closed DistributedLock / DistributedSemaphore is a mistake of the program, not a Redis outage:
// it fails at once with LeaseClosedError (not RedisConnectionError, nor ioredis's "Connection is closed."), and
// an acquire() that is waiting for a lease when close() is called ends the same way, without waiting longer.
describe.each([
  ["DistributedLock", (name: string) => new DistributedLock({ connection: redisUrl(), name })],
  [
    "DistributedSemaphore",
    (name: string) => new DistributedSemaphore({ connection: redisUrl(), name, permits: 1 }),
  ],
] as const)("%s", (who, open) => {
  it("acquire() after close() rejects at once with LeaseClosedError", async () => {
    const lease = open(freshQueue("closed"));
    await lease.close();
    const started = performance.now();
    const err = await lease.acquire({ timeout: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseClosedError);
    expect((err as LeaseClosedError).code).toBe("ERR_WEFT_LEASE_CLOSED");
    expect((err as Error).message).toContain(`${who}.acquire`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("close() ends an acquire() that waits for a lease with LeaseClosedError", async () => {
    const name = freshQueue("closing");
    await using holder = open(name);
    const held = await holder.acquire();
    const waiter = open(name);
    const waiting = waiter.acquire().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    await waiter.close();
    expect(await waiting).toBeInstanceOf(LeaseClosedError);
    await held.release();
  });

  it("close() ends an acquire() whose first command is on its way", async () => {
    const waiter = open(freshQueue("racing"));
    const waiting = waiter.acquire().catch((e: unknown) => e);
    await waiter.close();
    const outcome = await waiting;
    // it either got the free lease before the close or was ended by it
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(LeaseClosedError);
  });
});
