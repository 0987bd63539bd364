import { Barrier, Condition, Event, Lock, marshal, RLock, Semaphore } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp, exitCode, forkFixture, nextMessage } from "./fixtures/child.js";

/** Places the primitives in a fresh segment, starts `processes` children on `scenario`, returns words. */
async function scenario(
  name: string,
  processes: number,
  make: (shm: SharedMemory) => Record<string, unknown>,
  n = 0,
  during?: (words: Int32Array, prims: Record<string, unknown>) => Promise<void> | void,
): Promise<Int32Array> {
  using shm = SharedMemory.create(4096);
  const prims = { ...make(shm), go: new Event(shm.place(Event)) };
  const offset = shm.allocate(16);
  const words = new Int32Array(shm.buffer, offset, 4);
  const shared = marshal.encode(prims);
  const children = Array.from({ length: processes }, () => forkFixture("primitives-child.mjs"));
  try {
    for (const c of children) c.send({ shared, name: shm.name, offset, scenario: name, n });
    await Promise.all(children.map((c) => nextMessage(c, "ready")));
    const done = Promise.all(children.map((c) => nextMessage(c, "done")));
    prims.go.set();
    await during?.(words, prims);
    await done;
    expect(await Promise.all(children.map(exitCode))).toEqual(children.map(() => 0));
    return words;
  } finally {
    for (const c of children) c.kill();
  }
}

describe("@weft/sync primitives in process-shared memory", () => {
  afterEach(cleanUp);

  it("RLock: re-entrant within a process, exclusive across 3 processes", async () => {
    let parentHeld = false;
    const words = await scenario(
      "rlock",
      3,
      (shm) => ({ rlock: new RLock(shm.place(RLock)) }),
      20_000,
      (_w, p) => {
        const rlock = p.rlock as RLock;
        // Re-entrant in this process too, while the children hammer it.
        for (let i = 0; i < 100; i++) {
          if (!rlock.acquireSync({ timeout: 20_000 })) continue;
          parentHeld = rlock.isOwned();
          rlock.acquireSync();
          rlock.release();
          rlock.release();
        }
      },
    );
    expect(parentHeld).toBe(true);
    expect(words[0]).toBe(60_000);
  }, 30_000);

  it("Semaphore(2): never more than 2 holders across 3 processes", async () => {
    const words = await scenario(
      "semaphore",
      3,
      (shm) => ({ sem: new Semaphore(2, shm.place(Semaphore)) }),
      30,
    );
    expect(words[0]).toBe(0);
    expect(words[1]).toBeGreaterThanOrEqual(1);
    expect(words[1]).toBeLessThanOrEqual(2);
  }, 30_000);

  it("Condition: a producer here feeds blocking consumers in 3 processes; notifyAll ends them", async () => {
    const items = 300;
    const words = await scenario(
      "condition",
      3,
      (shm) => {
        const lock = new Lock(shm.place(Lock));
        return { cond: new Condition(lock, shm.place(Condition)) };
      },
      0,
      async (w, p) => {
        const cond = p.cond as Condition;
        for (let i = 0; i < items; i++) {
          await cond.acquire();
          w[0]!++;
          cond.notify();
          cond.release();
          if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
        }
        // Wait until everything was taken, then close.
        for (;;) {
          await cond.acquire();
          const left = w[0];
          if (left === 0) w[2] = 1;
          cond.notifyAll();
          cond.release();
          if (left === 0) break;
          await new Promise((r) => setTimeout(r, 1));
        }
      },
    );
    expect(words[1]).toBe(items);
    expect(words[0]).toBe(0);
  }, 30_000);

  it("Barrier(4): three processes and this one meet; every arrival index is handed out once", async () => {
    let mine = -1;
    const words = await scenario(
      "barrier",
      3,
      (shm) => ({ barrier: new Barrier(4, shm.place(Barrier)) }),
      0,
      async (_w, p) => {
        mine = await (p.barrier as Barrier).wait();
      },
    );
    expect(mine).toBeGreaterThanOrEqual(0);
    expect(words[0]! | (1 << mine)).toBe(0b1111);
    expect(words[0]! & (1 << mine)).toBe(0);
  }, 30_000);
});
