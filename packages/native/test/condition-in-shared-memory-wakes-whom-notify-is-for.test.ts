import { Condition, type Guard, Lock } from "@weft/sync";
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
});
