import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { Event, Lock, marshal } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp, exitCode, forkFixture, nextMessage } from "./fixtures/child.js";

async function race(mode: "sync" | "async", processes: number, n: number): Promise<number> {
  using shm = SharedMemory.create(4096);
  const lock = new Lock(shm.place(Lock));
  const start = new Event(shm.place(Event));
  const offset = shm.allocate(4);
  const shared = marshal.encode({ lock, start });
  const children = Array.from({ length: processes }, () => forkFixture("locked-increments.mjs"));
  try {
    for (const c of children) c.send({ shared, name: shm.name, offset, n, mode });
    await Promise.all(children.map((c) => nextMessage(c, "ready")));
    start.set();
    await Promise.all(children.map((c) => nextMessage(c, "done")));
    expect(await Promise.all(children.map(exitCode))).toEqual(children.map(() => 0));
    return Atomics.load(new Int32Array(shm.buffer, offset, 1), 0);
  } finally {
    for (const c of children) c.kill();
  }
}

describe("Lock in process-shared memory", () => {
  afterEach(cleanUp);

  it("4 processes x 100k blocking locked increments lose no update", async () => {
    expect(await race("sync", 4, 100_000)).toBe(400_000);
  }, 30_000);

  it("async acquire across 3 processes that yield while holding the lock loses no update", async () => {
    expect(await race("async", 3, 3_000)).toBe(9_000);
  }, 30_000);

  it("worker threads of this process and 2 child processes share one lock", async () => {
    using shm = SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    const start = new Event(shm.place(Event));
    const offset = shm.allocate(4);
    const shared = marshal.encode({ lock, start });
    const n = 20_000;
    const workerData = { shared, name: shm.name, offset, n };
    const threads = [1, 2].map(
      () => new Worker(new URL("./fixtures/thread-increments.mjs", import.meta.url), { workerData }),
    );
    const children = [1, 2].map(() => forkFixture("locked-increments.mjs"));
    try {
      for (const c of children) c.send({ shared, name: shm.name, offset, n, mode: "sync" });
      await Promise.all([
        ...threads.map((t) => once(t, "message")),
        ...children.map((c) => nextMessage(c, "ready")),
      ]);
      const finished = Promise.all([
        ...threads.map((t) => once(t, "message")),
        ...children.map((c) => nextMessage(c, "done")),
      ]);
      start.set();
      await finished;
      expect(Atomics.load(new Int32Array(shm.buffer, offset, 1), 0)).toBe(4 * n);
    } finally {
      await Promise.all(threads.map((t) => t.terminate()));
    }
  }, 30_000);

  it("is the same lock in parent and children (held here blocks there)", async () => {
    using shm = SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    const start = new Event(shm.place(Event));
    const offset = shm.allocate(4);
    const child = forkFixture("locked-increments.mjs");
    try {
      const guard = lock.acquireSync() as { release(): void };
      child.send({ shared: marshal.encode({ lock, start }), name: shm.name, offset, n: 10, mode: "sync" });
      await nextMessage(child, "ready");
      start.set();
      await new Promise((r) => setTimeout(r, 100));
      const counter = new Int32Array(shm.buffer, offset, 1);
      expect(Atomics.load(counter, 0)).toBe(0); // the child is blocked on our lock
      guard.release();
      await nextMessage(child, "done");
      expect(Atomics.load(counter, 0)).toBe(10);
    } finally {
      child.kill();
    }
  }, 30_000);
});
