import { RLock as BuiltRLock, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { type Guard, NotOwnerError, ReleaseError, RLock } from "../src/index.js";
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

  it("is one hold for every RLock object of a thread over the same memory, freed by whichever releases last", async () => {
    const a = new BuiltRLock();
    const b = marshal.decode(marshal.encode(a)) as BuiltRLock;
    const outer = a.acquireSync();
    const inner = b.acquireSync(); // re-enters: b sees this thread's hold
    if (outer === false || inner === false) throw new Error("acquireSync() without a timeout gave false");
    expect(b.isOwned()).toBe(true);
    outer.release();
    inner.release(); // b never took the word itself: its release must still free it
    expect(a.locked()).toBe(false);
    expect(() => inner.release()).toThrow(ReleaseError);
    const result = new Int32Array(new SharedArrayBuffer(4));
    await runWorker("rlock-try.mjs", marshal.encode({ lock: a, result }));
    expect(result[0]).toBe(0); // another thread takes it: it is free, and no longer this thread's
    expect(a.isOwned()).toBe(false);
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
