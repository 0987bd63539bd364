import { moduleTask, ProcessPoolExecutor } from "@weft/process-pool";
import { Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

const native = await loadNative();

const increments = moduleTask<(lock: Lock | null, name: string, offset: number, n: number) => number>(
  new URL("./fixtures/native-tasks.mjs", import.meta.url),
  "increments",
);

describe.skipIf(native === undefined)("a Lock in @weft/native shared memory", () => {
  it("passed as a task argument, protects a counter across the pool's children", async () => {
    const { SharedMemory } = native!;
    using shm = SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    const offset = shm.allocate(8); // counter, arrivals
    const counter = new Int32Array(shm.buffer, offset, 1);
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2, minWorkers: 2 });
    const n = 20_000;
    const parts = 6;
    const pids = await Promise.all(
      Array.from({ length: parts }, () => ex.submit(increments, lock, shm.name, offset, n)),
    );
    expect(new Set(pids).size).toBe(2); // both children took part (each task waits for a second one)
    expect(counter[0]).toBe(parts * n);
    // the parent holds the same lock: while it does, a child cannot take it
    const guard = lock.tryAcquire();
    expect(guard).toBeTruthy();
    const blocked = ex.submit((l: Lock) => l.acquireSync({ timeout: 200 }) !== false, lock);
    expect(await blocked).toBe(false);
    lock.release();
    expect(
      await ex.submit((l: Lock) => {
        const g = l.tryAcquire();
        if (g) l.release();
        return g !== false;
      }, lock),
    ).toBe(true);
  }, 60_000);
});
