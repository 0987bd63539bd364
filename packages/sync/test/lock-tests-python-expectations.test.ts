import { Lock as BuiltLock, RLock as BuiltRLock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { type Guard, InvalidTimeoutError, Lock, NotOwnerError, ReleaseError, RLock } from "../src/index.js";
import { sleep } from "./helpers.js";
import { openGate, opsInThread } from "./python-ops.js";

// CPython Lib/test/lock_tests.py: BaseLockTests, LockTests and RLockTests, mapped to weft's names
// (acquire(False) -> tryAcquire(), acquire(timeout=s) -> acquire({ timeout: ms }), _is_owned -> isOwned,
// RuntimeError -> ReleaseError / NotOwnerError, ValueError for a bad timeout -> InvalidTimeoutError).

for (const [name, Local, Built] of [
  ["Lock", Lock, BuiltLock],
  ["RLock", RLock, BuiltRLock],
] as const) {
  describe(`BaseLockTests (${name})`, () => {
    it("test_acquire_release / test_locked: locked() follows acquire and release", async () => {
      const lock = new Local();
      expect(lock.locked()).toBe(false);
      const g = (await lock.acquire()) as Guard;
      expect(lock.locked()).toBe(true);
      g.release();
      expect(lock.locked()).toBe(false);
    });

    it("test_try_acquire: acquire(False) on a free lock succeeds", () => {
      const lock = new Local();
      const g = lock.tryAcquire();
      expect(g).not.toBe(false);
      (g as Guard).release();
      expect(lock.locked()).toBe(false);
    });

    it("test_try_acquire_contended: acquire(False) in another thread fails while held", async () => {
      const lock = new Built();
      lock.acquireSync();
      const { results } = opsInThread(lock, ["tryAcquire", "locked"]);
      expect(await results).toEqual([false, true]);
      lock.release();
    });

    it("test_acquire_contended: waiters in another thread finish only after the release", async () => {
      const lock = new Built();
      lock.acquireSync();
      const threads = Array.from({ length: 3 }, () => opsInThread(lock, ["acquire:10000", "release"]));
      let finished = 0;
      for (const t of threads) t.results.then(() => finished++);
      await sleep(100);
      expect(finished).toBe(0);
      lock.release();
      const all = await Promise.all(threads.map((t) => t.results));
      for (const [acquired, release] of all as [[boolean, number], string][]) {
        expect(acquired[0]).toBe(true);
        expect(release).toBe("ok");
      }
      expect(lock.locked()).toBe(false);
    });

    it("test_with: using releases, also when the block throws", () => {
      const lock = new Local();
      const block = (error?: Error) => {
        using _ = lock.acquireSync() as Guard;
        expect(lock.locked()).toBe(true);
        if (error) throw error;
      };
      block();
      expect(lock.locked()).toBe(false);
      expect(() => block(new TypeError("inside"))).toThrow(TypeError);
      expect(lock.locked()).toBe(false);
    });

    it("test_timeout: invalid timeouts are refused; a contended acquire returns false after its timeout", async () => {
      const lock = new Built();
      await expect(lock.acquire({ timeout: -100 })).rejects.toThrow(InvalidTimeoutError);
      expect(() => lock.acquireSync({ timeout: -100 })).toThrow(InvalidTimeoutError);
      expect(() => lock.acquireSync({ timeout: Number.NaN })).toThrow(InvalidTimeoutError);
      expect(lock.locked()).toBe(false);
      const started = performance.now();
      const g = await lock.acquire({ timeout: 5000 });
      if (g === false) throw new Error("a free lock was not acquired");
      expect(performance.now() - started).toBeLessThan(5000);
      const { results } = opsInThread(lock, ["acquire:200"]);
      const [[acquired, elapsed]] = (await results) as [[boolean, number]];
      expect(acquired).toBe(false);
      expect(elapsed).toBeGreaterThanOrEqual(200 * 0.6);
      expect(elapsed).toBeLessThan(200 * 10);
      g.release();
    });

    it("acquire({ timeout: 0 }) on a held lock is a non-blocking try (Python's acquire(timeout=0))", async () => {
      const lock = new Built();
      lock.acquireSync();
      const { results } = opsInThread(lock, ["acquire:0"]);
      const [[acquired]] = (await results) as [[boolean, number]];
      expect(acquired).toBe(false);
      lock.release();
    });
  });
}

describe("LockTests (Lock)", () => {
  it("test_reacquire: a second acquire by the holder waits until someone releases", async () => {
    const lock = new Lock();
    const first = (await lock.acquire()) as Guard;
    let second = false;
    const pending = lock.acquire().then((g) => {
      second = true;
      return g;
    });
    await sleep(30);
    expect(second).toBe(false);
    first.release();
    const g = await pending;
    expect(second).toBe(true);
    (g as Guard).release();
  });

  it("test_different_thread: a Lock taken in one thread may be released by another", async () => {
    const lock = new BuiltLock();
    lock.acquireSync();
    const { results } = opsInThread(lock, ["release"]);
    expect(await results).toEqual(["ok"]);
    expect(lock.locked()).toBe(false);
    const g = lock.tryAcquire();
    if (g === false) throw new Error("the released lock could not be taken");
    g.release();
  });

  it("test_state_after_timeout: after a timed-out acquire the lock is free once released", async () => {
    const lock = new Lock();
    lock.acquireSync();
    expect(await lock.acquire({ timeout: 10 })).toBe(false);
    expect(lock.acquireSync({ timeout: 10 })).toBe(false);
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(lock.tryAcquire()).not.toBe(false);
    lock.release();
  });

  it("releasing an unlocked Lock is an error (RuntimeError -> ReleaseError)", () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(ReleaseError);
    lock.acquireSync();
    lock.release();
    expect(() => lock.release()).toThrow(ReleaseError);
  });
});

describe("RLockTests (RLock)", () => {
  it("test_reacquire: nested acquires need as many releases", () => {
    const lock = new RLock();
    lock.acquireSync();
    lock.acquireSync();
    lock.release();
    lock.acquireSync();
    lock.release();
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it("test_release_unacquired: one release too many is an error, before and after nested holds", () => {
    const lock = new RLock();
    expect(() => lock.release()).toThrow(NotOwnerError);
    lock.acquireSync();
    lock.acquireSync();
    lock.release();
    lock.acquireSync();
    lock.release();
    lock.release();
    expect(() => lock.release()).toThrow(NotOwnerError);
    expect(lock.locked()).toBe(false);
  });

  it("the recursion count shows in its repr (Python's RLock repr count=)", () => {
    const lock = new RLock();
    expect(String(lock)).toBe("RLock <unlocked, count=0>");
    lock.acquireSync();
    lock.acquireSync();
    expect(String(lock)).toBe("RLock <locked, count=2>");
    lock.release();
    expect(String(lock)).toBe("RLock <locked, count=1>");
    lock.release();
    expect(String(lock)).toBe("RLock <unlocked, count=0>");
  });

  it("nested holds may be released in any order (an RLock counts levels, not guards)", () => {
    const lock = new RLock();
    const outer = lock.acquireSync() as Guard;
    const inner = lock.acquireSync() as Guard;
    outer.release();
    expect(lock.locked()).toBe(true);
    expect(String(lock)).toBe("RLock <locked, count=1>");
    inner.release();
    expect(lock.locked()).toBe(false);
    expect(() => outer.release()).toThrow(ReleaseError);
  });

  it("test_different_thread: releasing an RLock another thread holds is an error and leaves it held", async () => {
    const lock = new BuiltRLock();
    const t = opsInThread(lock, ["hold"]);
    await t.held;
    expect(() => lock.release()).toThrow(NotOwnerError);
    expect(lock.locked()).toBe(true);
    expect(lock.isOwned()).toBe(false);
    expect(lock.tryAcquire()).toBe(false);
    openGate(t.gate);
    await t.results;
  });

  it("test__is_owned: owned by this thread across nested holds, never by another thread", async () => {
    const lock = new BuiltRLock();
    expect(lock.isOwned()).toBe(false);
    lock.acquireSync();
    expect(lock.isOwned()).toBe(true);
    lock.acquireSync();
    expect(lock.isOwned()).toBe(true);
    const { results } = opsInThread(lock, ["isOwned", "locked", "tryAcquire"]);
    expect(await results).toEqual([false, true, false]);
    lock.release();
    expect(lock.isOwned()).toBe(true);
    lock.release();
    expect(lock.isOwned()).toBe(false);
  });
});
