import { describe, expect, it } from "vitest";
import { Condition, type Guard, Lock } from "../src/index.js";
import { sleep } from "./helpers.js";

// Python's Condition.wait returns False when its timeout expires: a notify that woke another waiter, or
// notify(0), does not make it True. notify(n) makes exactly min(n, waiting) waits return true.

/** Starts `count` waits (each holding the lock, then waiting `timeout` ms); resolves once all are waiting. */
async function waiters(cond: Condition, count: number, timeout: number): Promise<Promise<boolean>[]> {
  const waits: Promise<boolean>[] = [];
  for (let i = 0; i < count; i++) {
    await cond.acquire();
    waits.push(cond.wait({ timeout }).finally(() => cond.release()));
  }
  while (!String(cond).endsWith(`waiters=${count}>`)) await sleep(1);
  return waits;
}

describe("Condition.wait resolves true only for the waiters a notify was for", () => {
  it("notify(1) with two waiting: one resolves true, the other false at its timeout", async () => {
    const cond = new Condition(new Lock());
    const waits = await waiters(cond, 2, 300);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(1);
    }
    expect((await Promise.all(waits)).sort()).toEqual([false, true]);
  });

  it("notify(0) wakes nobody: the wait resolves false at its timeout", async () => {
    const cond = new Condition(new Lock());
    const [wait] = await waiters(cond, 1, 150);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(0);
    }
    expect(await wait).toBe(false);
  });

  it("notify(2) with five waiting: exactly two resolve true", async () => {
    const cond = new Condition(new Lock());
    const waits = await waiters(cond, 5, 300);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(2);
    }
    const results = await Promise.all(waits);
    expect(results.filter(Boolean)).toHaveLength(2);
  });

  it("a notify with nobody waiting is not kept for a later wait", async () => {
    const cond = new Condition(new Lock());
    {
      using _ = cond.acquireSync() as Guard;
      cond.notifyAll();
    }
    const [wait] = await waiters(cond, 1, 100);
    expect(await wait).toBe(false);
  });

  it("a waiter aborted after a notify leaves no wake-up behind for the next wait", async () => {
    const cond = new Condition(new Lock());
    const ac = new AbortController();
    await cond.acquire();
    const aborted = cond.wait({ signal: ac.signal }).then(
      (notified) => notified,
      (err: unknown) => err,
    );
    while (!String(cond).endsWith("waiters=1>")) await sleep(1);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(1);
      ac.abort(new Error("stop"));
    }
    const first = await aborted;
    cond.release();
    expect(first === true || (first instanceof Error && first.message === "stop")).toBe(true);
    const [wait] = await waiters(cond, 1, 100);
    expect(await wait).toBe(false);
  });

  it("another waiter aborted after a notify does not make the waiters it was not for return true", async () => {
    const cond = new Condition(new Lock());
    const waits = await waiters(cond, 3, 600);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(1);
    }
    await sleep(20); // the notified waiter wakes; the other two sleep on
    const ac = new AbortController();
    await cond.acquire();
    const aborted = cond.wait({ signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error("stop")); // withdrawing its wait wakes every sleeper
    expect(await aborted).toBeInstanceOf(Error);
    cond.release();
    expect((await Promise.all(waits)).sort()).toEqual([false, false, true]);
  });

  it("a waiter woken by another's abort, with no notify, sleeps on until its timeout", async () => {
    const cond = new Condition(new Lock());
    const waits = await waiters(cond, 2, 300);
    const ac = new AbortController();
    await cond.acquire();
    const aborted = cond.wait({ signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error("stop"));
    await aborted;
    cond.release();
    expect(await Promise.all(waits)).toEqual([false, false]);
  });

  it("two notify(1) calls with one waiter: one true; the second notify is for nobody", async () => {
    const cond = new Condition(new Lock());
    const [wait] = await waiters(cond, 1, 300);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(1);
      cond.notify(1);
    }
    expect(await wait).toBe(true);
    const [late] = await waiters(cond, 1, 100);
    expect(await late).toBe(false);
  });

  it("aborted while re-acquiring the lock after its notify: resolves true, holding the lock", async () => {
    const cond = new Condition(new Lock());
    const ac = new AbortController();
    await cond.acquire();
    const wait = cond.wait({ signal: ac.signal }).then(
      (notified) => ({ notified, held: cond.lock.locked() }),
      (err: unknown) => ({ err, held: cond.lock.locked() }),
    );
    while (!String(cond).endsWith("waiters=1>")) await sleep(1);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(1);
      await sleep(30); // the waiter took its wake-up and now waits for the lock this holds
      ac.abort(new Error("stop"));
      await sleep(30);
    }
    expect(await wait).toEqual({ notified: true, held: true });
    cond.release(); // the wait's own re-acquisition
    expect(cond.lock.locked()).toBe(false);
  });

  it("aborted while re-acquiring the lock after its timeout: rejects only once the lock is held", async () => {
    const cond = new Condition(new Lock());
    const ac = new AbortController();
    await cond.acquire();
    const wait = cond.wait({ timeout: 30, signal: ac.signal }).then(
      (notified) => ({ notified, held: cond.lock.locked() }),
      (err: unknown) => ({ err: (err as Error).message, held: cond.lock.locked() }),
    );
    while (!String(cond).endsWith("waiters=1>")) await sleep(1);
    {
      using _ = cond.acquireSync() as Guard;
      await sleep(80); // the wait timed out and waits for the lock this holds
      ac.abort(new Error("stop"));
      await sleep(30);
    }
    expect(await wait).toEqual({ err: "stop", held: true });
    cond.release();
    expect(cond.lock.locked()).toBe(false);
  });

  it("waitSync: a timed-out wait after another waiter's notify returns false", async () => {
    const cond = new Condition(new Lock());
    const [other] = await waiters(cond, 1, 2000);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(1);
      // The notify was for the waiter above; this thread's own wait times out.
      expect(cond.waitSync({ timeout: 50 })).toBe(false);
    }
    expect(await other).toBe(true);
  });
});
