import { describe, expect, it } from "vitest";
import { atomicsWaiter, Event, Lock, type Waiter } from "../src/index.js";
import { sleep } from "./helpers.js";

/** A waiter that counts pending async waits, to prove nothing stays registered. */
function countingWaiter() {
  let pending = 0;
  const waiter: Waiter = {
    wait: (a, i, v, t) => atomicsWaiter.wait(a, i, v, t),
    waitAsync(a, i, v, t) {
      pending++;
      return atomicsWaiter.waitAsync(a, i, v, t).finally(() => {
        pending--;
      });
    },
    notify: (a, i, n) => atomicsWaiter.notify(a, i, n),
  };
  return { waiter, pending: () => pending };
}

describe("Lock timeouts and aborts", () => {
  it("acquire resolves false after the timeout and leaves no waiter", async () => {
    const { waiter, pending } = countingWaiter();
    const lock = new Lock({ waiter });
    lock.acquireSync();
    expect(await lock.acquire({ timeout: 20 })).toBe(false);
    await sleep(30);
    expect(pending()).toBe(0);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it("acquireSync returns false after the timeout", () => {
    const lock = new Lock();
    lock.acquireSync();
    expect(lock.acquireSync({ timeout: 10 })).toBe(false);
    expect(lock.acquireSync({ timeout: 0 })).toBe(false);
    lock.release();
  });

  it("abort rejects with the signal's reason and withdraws the waiter", async () => {
    const { waiter, pending } = countingWaiter();
    const lock = new Lock({ waiter });
    lock.acquireSync();
    const ac = new AbortController();
    const p = lock.acquire({ signal: ac.signal });
    await sleep(5);
    expect(pending()).toBe(1);
    const reason = new Error("stop");
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    await sleep(5);
    expect(pending()).toBe(0);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it("an already aborted signal rejects even when the lock is free", async () => {
    const lock = new Lock();
    await expect(lock.acquire({ signal: AbortSignal.abort("no") })).rejects.toBe("no");
    expect(() => lock.acquireSync({ signal: AbortSignal.abort("no") })).toThrow();
    expect(lock.locked()).toBe(false);
  });

  it("a withdrawn waiter does not swallow the wake-up meant for another", async () => {
    const lock = new Lock();
    lock.acquireSync();
    const ac = new AbortController();
    const aborted = lock.acquire({ signal: ac.signal });
    const other = lock.acquire();
    await sleep(5);
    ac.abort();
    await expect(aborted).rejects.toBeDefined();
    lock.release();
    expect(await other).not.toBe(false);
    lock.release();
  });

  it("a timeout beyond setTimeout's range still waits", async () => {
    const lock = new Lock();
    lock.acquireSync();
    const p = lock.acquire({ timeout: 2 ** 40 });
    await sleep(20);
    lock.release();
    expect(await p).not.toBe(false);
    lock.release();
  });

  it("keeps the event loop alive while waiting with a timeout", async () => {
    const e = new Event();
    const t0 = performance.now();
    expect(await e.wait({ timeout: 50 })).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });
});
