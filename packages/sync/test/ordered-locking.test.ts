import { Worker } from "node:worker_threads";
import { Lock as BuiltLock, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";
import {
  acquireAll,
  acquireAllSync,
  Lock,
  LockOrderError,
  MultiGuard,
  ReleaseError,
  RLock,
  Semaphore,
  TimeoutError,
  withLock,
  withLocks,
} from "../src/index.js";
import { runWorker, sleep } from "./helpers.js";

describe("ordered locking", () => {
  it("two worker threads asking in opposite orders never deadlock (recipe 12.5)", async () => {
    const x = new BuiltLock();
    const y = new BuiltLock();
    const counts = new Int32Array(new SharedArrayBuffer(8));
    const n = 20_000;
    await Promise.all(
      [0, 1].map((who) => runWorker("opposite-order.mjs", marshal.encode({ x, y, counts, who, n }))),
    );
    expect([...counts]).toEqual([n, n]);
    expect(x.locked() || y.locked()).toBe(false);
  });

  it("orders by an id kept in shared memory, identical in every thread", async () => {
    const a = new BuiltLock();
    const b = new BuiltLock();
    const [low, high] = [a, b];
    const ask = (data: unknown) =>
      new Promise<string>((resolve, reject) => {
        const w = new Worker(new URL("./fixtures/order-violation.mjs", import.meta.url), {
          workerData: data,
        });
        w.once("message", resolve);
        w.once("error", reject);
      });
    expect(await ask(marshal.encode({ low, high }))).toBe("LockOrderError");
    expect(await ask(marshal.encode({ low: high, high: low }))).toBe("no error");
  });

  it("acquireAllSync sorts, releases in reverse, and rejects a lower lock while a higher one is held", () => {
    const a = new Lock();
    const b = new Lock();
    {
      using _ = acquireAllSync(b, a);
      expect(a.locked() && b.locked()).toBe(true);
    }
    expect(a.locked() || b.locked()).toBe(false);
    {
      using _ = acquireAllSync(a);
      using _2 = acquireAllSync(b); // ascending: allowed
      expect(() => acquireAllSync(a)).toThrow(LockOrderError);
    }
    const held = acquireAllSync(b);
    expect(() => acquireAllSync(a)).toThrow(/lock order violation/);
    held.release();
    expect(() => held.release()).toThrow(ReleaseError);
    using _3 = acquireAllSync(a); // nothing held any more
    expect(() => acquireAllSync(a as Lock, a as Lock)).toThrow(/twice/);
  });

  it("withLocks checks nesting per async task, so concurrent tasks do not trip each other", async () => {
    const x = new Lock();
    const y = new Lock();
    let done = 0;
    const task = (first: Lock, second: Lock) =>
      (async () => {
        for (let i = 0; i < 50; i++) {
          await withLocks([first, second], async () => {
            await sleep(0);
            done++;
          });
        }
      })();
    await Promise.all([task(x, y), task(y, x)]);
    expect(done).toBe(100);
    await withLocks([x], async () => {
      await expect(withLocks([y], async () => 1)).resolves.toBe(1);
    });
    await withLocks([y], async () => {
      await expect(withLocks([x], async () => 1)).rejects.toBeInstanceOf(LockOrderError);
      await expect(acquireAll(x)).rejects.toBeInstanceOf(LockOrderError);
    });
    expect(x.locked() || y.locked()).toBe(false);
  });

  it("acquireAll returns a MultiGuard usable with await using", async () => {
    const x = new Lock();
    const y = new RLock();
    {
      await using g = await acquireAll(y, x);
      expect(g).toBeInstanceOf(MultiGuard);
      expect(x.locked() && y.locked()).toBe(true);
    }
    expect(x.locked() || y.locked()).toBe(false);
  });

  it("withLock works with semaphores, releases on throw, and times out with TimeoutError", async () => {
    const sem = new Semaphore(1);
    await expect(
      withLock(sem, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(sem.value).toBe(1);
    const lock = new Lock();
    lock.acquireSync();
    await expect(withLock(lock, () => 1, { timeout: 10 })).rejects.toBeInstanceOf(TimeoutError);
    lock.release();
    expect(await withLock(lock, () => 42)).toBe(42);
    expect(lock.locked()).toBe(false);
    const other = new Lock();
    other.acquireSync();
    await expect(withLocks([lock, other], () => 1, { timeout: 10 })).rejects.toBeInstanceOf(TimeoutError);
    expect(lock.locked()).toBe(false);
    other.release();
  });
});
