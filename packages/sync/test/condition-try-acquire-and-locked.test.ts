import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { Condition, Lock, marshal, ReleaseError, type RLock } from "../src/index.js";

// Python's Condition exports its lock's acquire(), release() and locked(): `cond.acquire(False)` tries
// without waiting (weft: tryAcquire()) and `cond.locked()` says whether the lock is held (CPython's
// ConditionAsRLockTests runs the RLock tests on a Condition).
describe("Condition.tryAcquire() and Condition.locked()", () => {
  it("over a Lock: tryAcquire takes a free lock and returns false while it is held", () => {
    const lock = new Lock();
    const cond = new Condition(lock);
    expect(cond.locked()).toBe(false);
    const g = cond.tryAcquire();
    expect(g).not.toBe(false);
    expect(cond.locked()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(cond.tryAcquire()).toBe(false);
    if (g) g.release();
    expect(cond.locked()).toBe(false);
    expect(lock.tryAcquire()).not.toBe(false);
    expect(cond.tryAcquire()).toBe(false);
    expect(cond.locked()).toBe(true);
    lock.release();
  });

  it("over the default RLock: re-entrant in this thread, counted, refused in another", async () => {
    const cond = new Condition();
    expect(cond.locked()).toBe(false);
    const a = cond.tryAcquire();
    const b = cond.tryAcquire();
    expect(a).not.toBe(false);
    expect(b).not.toBe(false);
    expect(cond.locked()).toBe(true);
    const seen = await new Promise((resolve, reject) => {
      const url = new URL("../dist/index.js", import.meta.url).href;
      const w = new Worker(
        `import { workerData, parentPort } from "node:worker_threads";
         const S = await import(${JSON.stringify(url)});
         const c = S.marshal.decode(workerData);
         parentPort.postMessage([c.locked(), c.tryAcquire() === false]);`,
        { eval: true, workerData: marshal.encode(cond.lock as RLock) },
      );
      w.once("message", resolve);
      w.once("error", reject);
    });
    expect(seen).toEqual([true, true]);
    cond.release();
    expect(cond.locked()).toBe(true);
    cond.release();
    expect(cond.locked()).toBe(false);
    expect(() => cond.release()).toThrow(ReleaseError);
  });

  it("a tryAcquire'd condition can wait and be notified", async () => {
    const cond = new Condition(new Lock());
    const g = cond.tryAcquire();
    expect(g).not.toBe(false);
    setTimeout(() => {
      const h = cond.tryAcquire();
      if (h) {
        cond.notify();
        h.release();
      }
    }, 10);
    expect(await cond.wait({ timeout: 5000 })).toBe(true);
    if (g) g.release();
  });
});
