import { once } from "node:events";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  type Guard,
  Lock,
  marshal,
  RLock,
  Semaphore,
} from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { liveParty } from "../../sync/test/support/live-party.js";
import { toldAbandoned } from "../../sync/test/support/told-abandoned.js";
import { SharedMemory } from "../src/index.js";
import { cleanUp, forkFixture, nextMessage } from "./fixtures/child.js";

// Eval workers resolve bare specifiers from the working directory: give them the built CommonJS entries' paths.
const requireHere = createRequire(import.meta.url);
const NATIVE_CJS = JSON.stringify(requireHere.resolve("@weft/native"));
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));

// Issue 17: a primitive in process-shared memory whose holder process dies (SIGKILL, or exits) is handed to
// the next acquirer, here or in another process, told it was abandoned; waiters blocked at the death are
// woken; a Barrier party process that dies breaks the barrier.

type Kind = "Lock" | "RLock" | "Semaphore" | "BoundedSemaphore" | "Condition";
const place: Record<Kind, (shm: SharedMemory) => Lock | RLock | Semaphore | Condition> = {
  Lock: (shm) => new Lock(shm.place(Lock)),
  RLock: (shm) => new RLock(shm.place(RLock)),
  Semaphore: (shm) => new Semaphore(1, shm.place(Semaphore)),
  BoundedSemaphore: (shm) => new BoundedSemaphore(1, shm.place(BoundedSemaphore)),
  Condition: (shm) => new Condition(new Lock(shm.place(Lock)), shm.place(Condition)),
};

async function holderProcess(prim: unknown, kind: string) {
  const child = forkFixture("hold-and-die-child.mjs");
  child.send({ shared: marshal.encode({ prim }), kind });
  await nextMessage(child, "held");
  return child;
}

describe("primitives in shared memory whose holder process dies", () => {
  afterEach(cleanUp);

  for (const kind of Object.keys(place) as Kind[]) {
    for (const death of ["SIGKILL", "exit"] as const) {
      it(`${kind}, holder process ${death === "SIGKILL" ? "SIGKILLed" : "exits"}: the waiting acquirer is told`, async () => {
        using shm = SharedMemory.create(4096);
        const prim = place[kind](shm);
        const child = await holderProcess(prim, kind);
        expect(await prim.acquire({ timeout: 50 })).toBe(false);
        // the handler is attached now: the death can be seen (and the acquire rejected) before the exit event
        const waiting = toldAbandoned(prim.acquire());
        const exited = once(child, "exit");
        if (death === "SIGKILL") child.kill("SIGKILL");
        else child.send({ die: true });
        await exited;
        const g = await waiting;
        g.release();
        const again = (await prim.acquire({ timeout: 1000 })) as Guard;
        expect(again).toBeTruthy();
        again.release();
      }, 20_000);
    }
  }

  it("mixed: a worker thread of this process blocked in acquireSync is woken when the holder process dies", async () => {
    using shm = SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    const child = await holderProcess(lock, "Lock");
    const waiter = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       require(${NATIVE_CJS});
       const { marshal, AbandonedLockError } = require(${SYNC_CJS});
       const lock = marshal.decode(workerData);
       parentPort.postMessage("waiting");
       try { lock.acquireSync(); parentPort.postMessage("not told"); }
       catch (e) { parentPort.postMessage(e instanceof AbandonedLockError ? "abandoned" : String(e)); e.guard?.release(); }`,
      { eval: true, workerData: marshal.encode(lock) },
    );
    const replies: unknown[] = [];
    waiter.on("message", (m) => replies.push(m));
    const ended = new Promise((r) => waiter.once("exit", r));
    while (replies.length === 0) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await ended;
    expect(replies).toEqual(["waiting", "abandoned"]);
    expect(lock.locked()).toBe(false);
  }, 20_000);

  it("a child process holding a Lock is SIGKILLed: another child process waiting on it is told", async () => {
    using shm = SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    const holder = await holderProcess(lock, "Lock");
    const next = forkFixture("hold-and-die-child.mjs");
    next.send({ shared: marshal.encode({ prim: lock }), kind: "Lock" });
    const nextHeld = nextMessage<{ abandoned: boolean }>(next, "held");
    holder.kill("SIGKILL");
    expect((await nextHeld).abandoned).toBe(true);
    // It holds the lock now; SIGKILLed in turn, this thread is told next.
    next.kill("SIGKILL");
    const g = await toldAbandoned(lock.acquire());
    g.release();
  }, 20_000);

  // The live party is a worker thread of this process, not this thread (see sync/test/support/live-party.ts).
  it("a Barrier party process that is SIGKILLed while waiting breaks the barrier here", async () => {
    using shm = SharedMemory.create(4096);
    const barrier = new Barrier(3, shm.place(Barrier));
    const live = liveParty(marshal.encode(barrier), requireHere.resolve("@weft/sync"), [
      requireHere.resolve("@weft/native"),
    ]);
    try {
      const child = await holderProcess(barrier, "Barrier");
      while (barrier.nWaiting < 1) await new Promise((r) => setTimeout(r, 5));
      const waited = live.ask("wait");
      while (barrier.nWaiting < 2) await new Promise((r) => setTimeout(r, 5));
      child.kill("SIGKILL");
      expect(await waited).toEqual({ error: "BrokenBarrierError" });
      expect(barrier.broken).toBe(true);
    } finally {
      await live.end();
    }
  }, 40_000);
});
