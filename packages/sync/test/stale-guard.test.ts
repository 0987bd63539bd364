import { marshal, Event as SharedEvent, Lock as SharedLock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import {
  acquireAll,
  acquireAllSync,
  BoundedSemaphore,
  Condition,
  type Guard,
  Lock,
  ReleaseError,
  RLock,
  Semaphore,
} from "../src/index.js";
import { runWorker, sleep } from "./helpers.js";

// A guard proves one acquisition. Releasing it a second time (explicitly, or by `using` after an explicit
// release) must throw ReleaseError and change nothing: in particular it must not release the next holder.
describe("a stale guard (second release of the same acquisition)", () => {
  it("Lock, async: does not release the next holder's acquisition", async () => {
    const lock = new Lock();
    const a = (await lock.acquire()) as Guard;
    a.release();
    const b = (await lock.acquire()) as Guard;
    expect(() => a.release()).toThrow(ReleaseError);
    expect(lock.locked()).toBe(true);
    expect(lock.tryAcquire()).toBe(false);
    expect(await lock.acquire({ timeout: 20 })).toBe(false);
    b.release();
    expect(lock.locked()).toBe(false);
    expect(() => b.release()).toThrow(ReleaseError);
    expect(lock.locked()).toBe(false);
  });

  it("Lock: a third task never enters while the second holds it", async () => {
    const lock = new Lock();
    let inside = 0;
    let maxInside = 0;
    const task = async (stale: boolean) => {
      const g = (await lock.acquire()) as Guard;
      inside++;
      maxInside = Math.max(maxInside, inside);
      await sleep(5);
      inside--;
      g.release();
      if (stale) {
        await sleep(1);
        expect(() => g.release()).toThrow(ReleaseError);
      }
    };
    await Promise.all([task(true), task(false), task(false), task(true), task(false)]);
    expect(maxInside).toBe(1);
    expect(lock.locked()).toBe(false);
  });

  it("Lock, sync: the guard of an acquisition ended by lock.release() is stale", () => {
    const lock = new Lock();
    const a = lock.acquireSync() as Guard;
    lock.release();
    const b = lock.tryAcquire() as Guard;
    expect(b).toBeTruthy();
    expect(() => a.release()).toThrow(ReleaseError);
    expect(() => a[Symbol.dispose]()).toThrow(ReleaseError);
    expect(lock.locked()).toBe(true);
    b.release();
    expect(lock.locked()).toBe(false);
  });

  it("Lock, using: disposing after an explicit release throws and keeps the next holder", async () => {
    const lock = new Lock();
    let next: Guard | false = false;
    expect(() => {
      using g = lock.acquireSync() as Guard;
      g.release();
      next = lock.tryAcquire();
    }).toThrow(ReleaseError);
    expect(next).toBeTruthy();
    expect(lock.locked()).toBe(true);
    (next as unknown as Guard).release();
    await expect(
      (async () => {
        await using g = (await lock.acquire()) as Guard;
        g.release();
        next = (await lock.acquire()) as Guard;
      })(),
    ).rejects.toThrow(ReleaseError);
    expect(lock.locked()).toBe(true);
    (next as unknown as Guard).release();
  });

  it("Lock across threads: after another thread released and re-took it, the old guard is stale", async () => {
    const lock = new SharedLock();
    const held = new SharedEvent();
    const done = new SharedEvent();
    const mine = lock.acquireSync() as { release(): void };
    const run = runWorker("release-and-hold.mjs", marshal.encode({ lock, held, done }));
    try {
      expect(await held.wait({ timeout: 10_000 })).toBe(true);
      expect(() => mine.release()).toThrow(ReleaseError);
      expect(lock.locked()).toBe(true);
    } finally {
      done.set();
      await run;
    }
    expect(lock.locked()).toBe(false);
  }, 20_000);

  it("RLock: a level's guard releases once; the guards of an ended hold are stale", async () => {
    const r = new RLock();
    const outer = r.acquireSync() as Guard;
    const inner = r.acquireSync() as Guard;
    inner.release();
    expect(() => inner.release()).toThrow(ReleaseError);
    expect(r.isOwned()).toBe(true);
    outer.release();
    expect(r.locked()).toBe(false);
    const again = (await r.acquire()) as Guard;
    expect(() => outer.release()).toThrow(ReleaseError);
    expect(() => inner.release()).toThrow(ReleaseError);
    expect(r.isOwned()).toBe(true);
    again.release();
    expect(r.locked()).toBe(false);
  });

  it("Semaphore: a guard gives back its one permit once", async () => {
    const s = new Semaphore(2);
    const a = (await s.acquire()) as Guard;
    const b = s.acquireSync() as Guard;
    a.release();
    expect(() => a.release()).toThrow(ReleaseError);
    expect(s.value).toBe(1);
    b.release();
    expect(s.value).toBe(2);
  });

  it("BoundedSemaphore: a stale guard cannot return another holder's permit", async () => {
    const s = new BoundedSemaphore(2);
    const a = s.acquireSync() as Guard;
    const b = (await s.acquire()) as Guard;
    a.release();
    expect(() => a.release()).toThrow(ReleaseError);
    expect(s.value).toBe(1);
    expect(() => {
      using _ = s.tryAcquire() as Guard;
    }).not.toThrow();
    b.release();
    expect(s.value).toBe(2);
  });

  it("Condition: its guard is the lock's, stays valid across wait(), and releases once", async () => {
    const cond = new Condition(new Lock());
    const g = (await cond.acquire()) as Guard;
    const waited = cond.wait({ timeout: 5000 });
    const notifier = (async () => {
      const n = (await cond.acquire()) as Guard;
      cond.notify();
      n.release();
      expect(() => n.release()).toThrow(ReleaseError);
    })();
    expect(await waited).toBe(true);
    await notifier;
    expect(cond.lock.locked()).toBe(true);
    g.release();
    expect(cond.lock.locked()).toBe(false);
    const next = cond.acquireSync() as Guard;
    expect(() => g.release()).toThrow(ReleaseError);
    expect(cond.lock.locked()).toBe(true);
    next.release();
  });

  it("Condition over an RLock: the outer guards stay valid across wait() and release once", async () => {
    const cond = new Condition(new RLock());
    const outer = cond.acquireSync() as Guard;
    const inner = cond.acquireSync() as Guard;
    expect(await cond.wait({ timeout: 20 })).toBe(false);
    inner.release();
    expect(() => inner.release()).toThrow(ReleaseError);
    expect((cond.lock as RLock).isOwned()).toBe(true);
    outer.release();
    expect(cond.lock.locked()).toBe(false);
    expect(() => outer.release()).toThrow(ReleaseError);
  });

  it("MultiGuard: stale after one of its locks changed hands; releases nothing", async () => {
    const a = new Lock();
    const b = new Lock();
    const m = acquireAllSync(a, b);
    a.release();
    const other = a.tryAcquire() as Guard;
    expect(() => m.release()).toThrow(/released by other means/);
    expect(a.locked() && b.locked()).toBe(true);
    expect(() => m.release()).toThrow(/already released/);
    expect(a.locked() && b.locked()).toBe(true);
    other.release();
    b.release();
    const m2 = await acquireAll(a, b);
    m2.release();
    expect(() => m2.release()).toThrow(ReleaseError);
    expect(a.locked() || b.locked()).toBe(false);
  });
});
