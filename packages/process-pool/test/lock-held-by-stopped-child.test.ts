import { ProcessPoolExecutor } from "@weft/process-pool";
import { type Guard, Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { toldAbandoned } from "../../pool/test/conformance/test-support.js";
import { loadNative } from "./helpers.js";

// Issue 17: a child weft kills (a task timeout) while its task holds a Lock in @weft/native memory no
// longer leaves the lock taken: a task of another child waiting on it, and then the parent, are told.

const native = await loadNative();

describe.skipIf(native === undefined)("a native Lock held by a child that weft kills", () => {
  it("the task timeout kills the holder; a task waiting in another child is told, then released it", async () => {
    using shm = native!.SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2, minWorkers: 2 });
    const held = ex.submitWith(
      { timeout: 500 },
      (l: Lock) => {
        l.acquireSync();
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      },
      lock,
    );
    while (!lock.locked()) await new Promise((r) => setTimeout(r, 5));
    const waiter = ex.submit((l: Lock) => {
      try {
        const g = l.acquireSync({ timeout: 20_000 });
        if (g === false) return "timed out";
        g.release();
        return "not told";
      } catch (e) {
        (e as { guard?: { release(): void } }).guard?.release();
        return (e as Error).name;
      }
    }, lock);
    await expect(held).rejects.toThrow();
    expect(await waiter).toBe("AbandonedLockError");
    const g = (await lock.acquire({ timeout: 1000 })) as Guard;
    expect(g).toBeTruthy();
    g.release();
  }, 60_000);

  it("the parent's pending acquire is told when terminateWorkers() kills the holding child", async () => {
    using shm = native!.SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const held = ex.submit((l: Lock) => {
      l.acquireSync();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }, lock);
    held.catch(() => {});
    while (!lock.locked()) await new Promise((r) => setTimeout(r, 5));
    const pending = toldAbandoned(lock.acquire());
    await ex.terminateWorkers();
    (await pending).release();
    expect(lock.locked()).toBe(false);
    await ex.shutdown();
  }, 60_000);
});
