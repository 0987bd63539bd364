import { RLock as BuiltRLock, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { type Guard, NotOwnerError, RLock } from "../src/index.js";
import { runWorker } from "./helpers.js";

describe("RLock", () => {
  it("re-enters from the owning thread and frees at count zero (recipe 12.4 SharedCounter)", () => {
    class SharedCounter {
      static lock = new RLock();
      constructor(public value: number) {}
      incr(d = 1) {
        using _ = SharedCounter.lock.acquireSync() as Guard;
        this.value += d;
      }
      decr(d = 1) {
        using _ = SharedCounter.lock.acquireSync() as Guard;
        expect(SharedCounter.lock.isOwned()).toBe(true);
        this.incr(-d);
      }
    }
    const c = new SharedCounter(5);
    c.decr(2);
    c.incr();
    expect(c.value).toBe(4);
    expect(SharedCounter.lock.locked()).toBe(false);
    expect(SharedCounter.lock.isOwned()).toBe(false);
  });

  it("throws NotOwnerError when released by a thread that does not own it", async () => {
    const r = new RLock();
    expect(() => r.release()).toThrow(NotOwnerError);
    const shared = new BuiltRLock();
    shared.acquireSync();
    const result = new Int32Array(new SharedArrayBuffer(4));
    await runWorker("rlock-foreign-release.mjs", marshal.encode({ lock: shared, result }));
    expect(result[0]).toBe(1);
    expect(shared.locked()).toBe(true);
    shared.release();
    expect(shared.locked()).toBe(false);
  });

  it("times out when another thread holds it", async () => {
    const shared = new BuiltRLock();
    const result = new Int32Array(new SharedArrayBuffer(4));
    shared.acquireSync();
    await runWorker("rlock-try.mjs", marshal.encode({ lock: shared, result }));
    expect(result[0]).toBe(1);
    shared.release();
  });
});
