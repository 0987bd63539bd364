import { DistributedLock, DistributedSemaphore, LeaseLostError } from "@weft/distributed";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, until } from "./helpers.js";

// A holder whose lease is lost (it ran out in Redis, or someone else took it) learns it through guard.signal,
// whose reason is a LeaseLostError: a typed weft error with a stable code that says what to do, not a plain Error.
describe.each([
  ["DistributedLock", (name: string) => new DistributedLock({ connection: redisUrl(), name, lease: 300 })],
  [
    "DistributedSemaphore",
    (name: string) => new DistributedSemaphore({ connection: redisUrl(), name, lease: 300, permits: 1 }),
  ],
] as const)("%s", (who, open) => {
  it("a lease taken away in Redis aborts the holder's signal with LeaseLostError", async () => {
    const name = freshQueue("lost");
    await using lock = open(name);
    const held = await lock.acquire();
    const redis = new Redis(redisUrl());
    try {
      await redis.del(`weft:lease:${name}:holders`); // as if it had run out and another holder took it
    } finally {
      redis.disconnect();
    }
    await until(() => held.signal.aborted, "the holder to learn it lost the lease", 5000);
    const reason = held.signal.reason as LeaseLostError;
    expect(reason).toBeInstanceOf(LeaseLostError);
    expect(reason.name).toBe("LeaseLostError");
    expect(reason.code).toBe("ERR_WEFT_LEASE_LOST");
    expect(reason.token).toBe(held.token);
    expect(reason.message).toContain(who);
    expect(reason.message).toContain(name);
    expect(reason.message).toMatch(/lease/);
    expect(reason.message).toMatch(/300 ms/);
    expect(await held.release()).toBe(false);
  });

  it("a holder cut off from Redis sees LeaseLostError once its lease runs out", async () => {
    const lock = open(freshQueue("cutoff"));
    const held = await lock.acquire();
    await lock.close(); // can no longer renew
    await until(() => held.signal.aborted, "the lease to run out", 5000);
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    expect((held.signal.reason as LeaseLostError).code).toBe("ERR_WEFT_LEASE_LOST");
  });
});
