import { DistributedLock, DistributedSemaphore, TimeoutError } from "@weft/distributed";
import { ReleaseError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, until } from "./helpers.js";

describe("DistributedLock and DistributedSemaphore (leases with fencing tokens)", () => {
  it("one holder at a time across clients; each acquisition has a higher fencing token", async () => {
    const name = freshQueue("lock");
    await using a = new DistributedLock({ connection: redisUrl(), name });
    await using b = new DistributedLock({ connection: redisUrl(), name });
    const first = await a.acquire();
    await expect(b.acquire({ timeout: 100 })).rejects.toBeInstanceOf(TimeoutError);
    const waiting = b.acquire({ timeout: 5000 });
    expect(await first.release()).toBe(true);
    const second = await waiting;
    expect(second.token).toBeGreaterThan(first.token);
    await expect(first.release()).rejects.toBeInstanceOf(ReleaseError); // a guard releases once
    await second.release();
  });

  it("a holder that dies frees the lock after its lease; the stale holder's signal tells it so", async () => {
    const name = freshQueue("lease");
    const dying = new DistributedLock({ connection: redisUrl(), name, lease: 300 });
    await using other = new DistributedLock({ connection: redisUrl(), name, lease: 300 });
    const stale = await dying.acquire();
    await dying.close(); // cut off from Redis: it can no longer renew
    const next = await other.acquire({ timeout: 5000 }); // free once the lease ran out
    expect(next.token).toBeGreaterThan(stale.token);
    await until(() => stale.signal.aborted, "the stale holder to learn it lost the lease");
    await next.release();
  });

  it("a held lease is renewed beyond its length; a semaphore gives `permits` leases at once", async () => {
    const name = freshQueue("renew");
    await using a = new DistributedLock({ connection: redisUrl(), name, lease: 200 });
    await using b = new DistributedLock({ connection: redisUrl(), name, lease: 200 });
    const held = await a.acquire();
    await expect(b.acquire({ timeout: 700 })).rejects.toBeInstanceOf(TimeoutError); // 3.5 leases later, still held
    expect(held.signal.aborted).toBe(false);
    expect(await held.release()).toBe(true);

    const sem = freshQueue("sem");
    await using s1 = new DistributedSemaphore({ connection: redisUrl(), name: sem, permits: 2 });
    await using s2 = new DistributedSemaphore({ connection: redisUrl(), name: sem, permits: 2 });
    const p1 = await s1.acquire();
    const p2 = await s2.acquire();
    await expect(s1.acquire({ timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
    const ac = new AbortController();
    const aborted = s2.acquire({ signal: ac.signal });
    ac.abort(new Error("stop waiting"));
    await expect(aborted).rejects.toThrow("stop waiting");
    await p1.release();
    const p3 = await s1.acquire({ timeout: 1000 });
    expect(new Set([p1.token, p2.token, p3.token]).size).toBe(3);
    await Promise.all([p2.release(), p3.release()]);
  });
});
