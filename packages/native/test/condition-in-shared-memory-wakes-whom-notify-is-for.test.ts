import { fork } from "node:child_process";
import { once } from "node:events";
import { Condition, type Guard, Lock, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";

// A Condition in process-shared memory waits through the native futex, whose async waits sleep in slices
// (500 ms): a waiter whose slice ends after a notify that was for another waiter must not take it for its own.
// notify(n) makes exactly min(n, waiting) waits return true, and the others return false at their timeout.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a Condition in SharedMemory", () => {
  it("notify(1) with three async waiters sleeping past a slice: one true, two false at the timeout", async () => {
    using shm = SharedMemory.create(4096);
    const cond = new Condition(new Lock(shm.place(Lock)), shm.place(Condition));
    const waits: Promise<boolean>[] = [];
    for (let i = 0; i < 3; i++) {
      await cond.acquire();
      waits.push(cond.wait({ timeout: 1500 }).finally(() => cond.release()));
    }
    await sleep(150);
    {
      using _ = cond.acquireSync() as Guard;
      cond.notify(1);
    }
    const settled: boolean[] = [];
    for (const w of waits) void w.then((v) => settled.push(v));
    await sleep(800); // past the waiters' first 500 ms slice
    expect(settled).toEqual([true]);
    expect((await Promise.all(waits)).sort()).toEqual([false, false, true]);
  }, 20_000);

  it("an async wait aborted as it started does not swallow the wake-up of a waiter in another process", async () => {
    // The aborted wait's native thread may not be asleep yet when its withdrawal wakes every sleeper; it then
    // sleeps on, uncounted. notify(1) must still reach the child's waitSync.
    for (let round = 0; round < 5; round++) {
      using shm = SharedMemory.create(4096);
      const cond = new Condition(new Lock(shm.place(Lock)), shm.place(Condition));
      const offset = shm.allocate(16);
      const words = new Int32Array(shm.buffer, offset, 4);
      const ac = new AbortController();
      await cond.acquire();
      const aborted = cond.wait({ signal: ac.signal }).catch((e: unknown) => e);
      ac.abort(new Error("stop"));
      await aborted;
      cond.release();
      const child = fork(new URL("./fixtures/condition-wait-child.mjs", import.meta.url));
      try {
        child.send({ shared: marshal.encode({ cond }), name: shm.name, offset, timeout: 10_000 });
        while (Atomics.load(words, 0) === 0) await sleep(5);
        await sleep(50); // the child is asleep in its wait
        {
          using _ = cond.acquireSync() as Guard;
          cond.notify(1);
        }
        const started = performance.now();
        const [{ notified }] = (await once(child, "message")) as [{ notified: boolean }];
        expect(notified).toBe(true);
        expect(performance.now() - started).toBeLessThan(5000); // woken by the notify, not at its timeout
      } finally {
        child.kill();
      }
    }
  }, 60_000);
});
