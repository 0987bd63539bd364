import { TaskTimeoutError, ThreadPoolExecutor } from "@weft/pool";
import { type Guard, Lock, Semaphore } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { toldAbandoned } from "./conformance/test-support.js";

// Issue 17: a pool worker that weft stops (taskTimeout, terminateWorkers) while its task holds a lock no
// longer leaves the lock taken forever: the next acquirer gets it, told it was abandoned, and a task blocked
// on it in another worker is woken.

const holdForever = (l: Lock | Semaphore): void => {
  l.acquireSync();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
};
const waitAndReport = (l: Lock | Semaphore): string => {
  try {
    const g = l.acquireSync({ timeout: 20_000 });
    if (g === false) return "timed out";
    g.release();
    return "not told";
  } catch (e) {
    (e as { guard?: Guard }).guard?.release();
    return (e as Error).name;
  }
};

describe("a lock held by a pool worker that weft stops", () => {
  for (const kind of ["Lock", "Semaphore"] as const) {
    it(`${kind}: a task timeout stops the holder; a task blocked on it and the next acquirer are told`, async () => {
      await using pool = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2 });
      const prim = kind === "Lock" ? new Lock() : new Semaphore(1);
      const held = pool.submitWith({ timeout: 300 }, holdForever, prim);
      // Until the holder has taken it.
      while (kind === "Lock" ? !(prim as Lock).locked() : (prim as Semaphore).value > 0) {
        await new Promise((r) => setTimeout(r, 5));
      }
      const waiter = pool.submit(waitAndReport, prim);
      await expect(held).rejects.toBeInstanceOf(TaskTimeoutError);
      expect(await waiter).toBe("AbandonedLockError");
      // Released by the task that was told; free and not abandoned now.
      const g = (await prim.acquire({ timeout: 1000 })) as Guard;
      expect(g).toBeTruthy();
      g.release();
    }, 30_000);
  }

  it("terminateWorkers() stops the holder; the main thread's pending acquire is told", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const lock = new Lock();
    const held = pool.submit(holdForever, lock);
    held.catch(() => {});
    while (!lock.locked()) await new Promise((r) => setTimeout(r, 5));
    const pending = toldAbandoned(lock.acquire());
    await pool.terminateWorkers();
    (await pending).release();
    expect(lock.locked()).toBe(false);
    await pool.shutdown();
  }, 30_000);
});
