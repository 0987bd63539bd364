import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { futexWaiter, SharedMemory } from "../src/index.js";
import { cleanUp, forkFixture } from "./fixtures/child.js";

describe("futexWaiter", () => {
  afterEach(cleanUp);

  it("reports not-equal and timed-out like Atomics.wait", async () => {
    const i32 = new Int32Array(new SharedArrayBuffer(8));
    expect(futexWaiter.wait(i32, 0, 1, 1000)).toBe("not-equal");
    expect(futexWaiter.wait(i32, 0, 0, 5)).toBe("timed-out");
    expect(futexWaiter.wait(i32, 0, 0, -1)).toBe("timed-out");
    expect(await futexWaiter.waitAsync(i32, 1, 3, 1000)).toBe("not-equal");
    expect(await futexWaiter.waitAsync(i32, 1, 0, 5)).toBe("timed-out");
    expect(futexWaiter.notify(i32, 0, 1)).toBe(0);
  });

  it("validates the array and index", () => {
    const i32 = new Int32Array(new SharedArrayBuffer(8));
    expect(() => futexWaiter.wait(new Uint32Array(2) as unknown as Int32Array, 0, 0, 0)).toThrow(TypeError);
    expect(() => futexWaiter.wait(i32, 2, 0, 0)).toThrow(RangeError);
    expect(() => futexWaiter.notify(i32, -1, 1)).toThrow(RangeError);
    expect(() => futexWaiter.notify(i32, 0.5, 1)).toThrow(RangeError);
  });

  it("waitAsync is woken by notify and counts the waiters it woke", async () => {
    const i32 = new Int32Array(new SharedArrayBuffer(8));
    const waits = [1, 2, 3].map(() => futexWaiter.waitAsync(i32, 0, 0, 10_000));
    // The waits start on pool threads; notify until all three have been woken.
    let woken = 0;
    while (woken < 3) {
      woken += futexWaiter.notify(i32, 0, 3 - woken);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await Promise.all(waits)).toEqual(["ok", "ok", "ok"]);
  });

  it("waitAsync with an AbortSignal rejects on abort and still wakes on notify", async () => {
    const i32 = new Int32Array(new SharedArrayBuffer(8));
    const ac = new AbortController();
    const aborted = futexWaiter.waitAsync(i32, 0, 0, Number.POSITIVE_INFINITY, ac.signal);
    setTimeout(() => ac.abort(new Error("stop")), 20);
    await expect(aborted).rejects.toThrow("stop");
    let settled = false;
    const woken = futexWaiter.waitAsync(i32, 0, 0, 10_000, new AbortController().signal);
    void woken.finally(() => {
      settled = true;
    });
    // Wake without changing the value: only a real futex wake (of whichever slice is asleep) ends the wait.
    let count = 0;
    while (!settled && count === 0) {
      count = futexWaiter.notify(i32, 0, 1);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await woken).toBe("ok");
    expect(count).toBe(1);
    Atomics.store(i32, 0, 1);
    expect(await futexWaiter.waitAsync(i32, 0, 1, 30, new AbortController().signal)).toBe("timed-out");
  });

  it("a wake in this process reaches a waiter blocked in another process (no FUTEX_PRIVATE_FLAG)", async () => {
    using shm = SharedMemory.create(64);
    const offset = shm.allocate(8);
    const i32 = new Int32Array(shm.buffer, offset, 2);
    const child = forkFixture("futex-sleeper.mjs", [shm.name, String(offset)]);
    try {
      // The child sets word 1 to 1 just before blocking in futexWaiter.wait on word 0 (expected 0).
      while (Atomics.load(i32, 1) !== 1) await new Promise((r) => setTimeout(r, 5));
      let woken = 0;
      for (let tries = 0; woken === 0 && tries < 2000; tries++) {
        woken = futexWaiter.notify(i32, 0, 1);
        if (woken === 0) await new Promise((r) => setTimeout(r, 5));
      }
      const [code] = await once(child, "exit");
      expect(woken).toBe(1);
      expect(code).toBe(0);
      expect(Atomics.load(i32, 1)).toBe(2); // the child saw "ok"
    } finally {
      child.kill();
    }
  });
});
