import { once } from "node:events";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import {
  AbandonedLockError,
  BoundedSemaphore,
  Condition,
  type Guard,
  Lock,
  marshal,
  RLock,
  Semaphore,
} from "../src/index.js";
import { LIVENESS_SLICE_MS } from "../src/liveness.js";
import { toldAbandoned } from "./support/told-abandoned.js";

// Eval workers resolve bare specifiers from the working directory: give them the built CommonJS entries' paths.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));

// A worker takes the primitive and dies holding it, in each way a thread can end; the next acquirer gets
// the primitive with AbandonedLockError (carrying the guard), and waiters already blocked are woken.

type Kind = "Lock" | "RLock" | "Semaphore" | "BoundedSemaphore" | "Condition(Lock)" | "Condition(RLock)";
type Acquirable = Lock | RLock | Semaphore | Condition;
const make: Record<Kind, () => Acquirable> = {
  Lock: () => new Lock(),
  RLock: () => new RLock(),
  Semaphore: () => new Semaphore(1),
  BoundedSemaphore: () => new BoundedSemaphore(1),
  "Condition(Lock)": () => new Condition(new Lock()),
  "Condition(RLock)": () => new Condition(new RLock()),
};
const deaths = ["terminate", "exit", "return", "throw"] as const;
/** For waits on this thread, which a primitive never handed over would otherwise block for good. */
const BOUND = { timeout: 10_000 };
const NEVER_HANDED_OVER = "timed out after 10 s: the primitive of the dead holder was never taken over";
type Death = (typeof deaths)[number];

/** A worker holding `prim` (once it says "held"); `die()` ends it the way `how` says. */
function holder(prim: Acquirable, how: Death, extra: object = {}): { worker: Worker; die(): Promise<void> } {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL("./fixtures/hold-and-die.mjs", import.meta.url), {
    workerData: marshal.encode({ prim, how: how === "terminate" ? "hang" : how, gate, ...extra }),
    stderr: true,
  });
  worker.on("error", () => {}); // the "throw" death
  watchWorker(worker);
  const exited = new Promise((r) => worker.once("exit", r)); // (events.once would reject on "error")
  return {
    worker,
    async die() {
      if (how === "terminate") await worker.terminate();
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      await exited;
    },
  };
}

async function killHolder(prim: Acquirable, how: Death): Promise<void> {
  const h = holder(prim, how);
  await once(h.worker, "message");
  await h.die();
}

describe("a primitive whose holder thread dies is handed to the next acquirer, marked abandoned", () => {
  for (const kind of Object.keys(make) as Kind[]) {
    for (const how of deaths) {
      it(`${kind}, holder ${how === "terminate" ? "terminated" : `ends by ${how}`}: a waiter blocked at the death is woken`, async () => {
        const prim = make[kind]();
        const h = holder(prim, how);
        await once(h.worker, "message");
        expect(await prim.acquire({ timeout: 50 })).toBe(false);
        // Waiting before the holder dies.
        // the handler is attached now: the death can be seen (and the acquire rejected) before die() returns
        const waiting = toldAbandoned(prim.acquire());
        await h.die();
        const g = await waiting;
        g.release();
        // Back to normal: the next acquire is not told again, and excludes as before.
        const again = (await prim.acquire()) as Guard;
        expect(again).toBeTruthy();
        if (!kind.includes("RLock")) expect(prim.acquireSync({ timeout: 0 })).toBe(false);
        again.release();
      }, 20_000);
    }
  }

  it("a Lock whose holder died before anyone waited: acquireSync, tryAcquire and acquire({ timeout }) are told", async () => {
    for (const take of [
      // On this thread a Lock never handed over would block it for good (testTimeout cannot stop that):
      // bounded, and a timeout says so. (acquireSync without a timeout is the worker case below.)
      (l: Lock) =>
        Promise.resolve().then(() => {
          if (l.acquireSync(BOUND) === false) throw new Error(`acquireSync: ${NEVER_HANDED_OVER}`);
        }),
      (l: Lock) => Promise.resolve().then(() => l.tryAcquire()),
      (l: Lock) => l.acquire({ timeout: 5000 }),
    ]) {
      const lock = new Lock();
      await killHolder(lock, "terminate");
      const g = await toldAbandoned(take(lock));
      expect(lock.locked()).toBe(true);
      g.release();
      expect(lock.locked()).toBe(false);
    }
  }, 20_000);

  it("a worker blocked in acquireSync when the holder dies is woken and told", async () => {
    const lock = new Lock();
    const h = holder(lock, "terminate");
    await once(h.worker, "message");
    const waiter = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
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
    await h.die();
    await ended;
    expect(replies).toEqual(["waiting", "abandoned"]);
    expect(lock.locked()).toBe(false);
  }, 20_000);

  it("a Semaphore gives back only the permits the dead thread held, never above its initial value", async () => {
    const sem = new Semaphore(2);
    await killHolder(sem, "terminate"); // holds 1 of 2
    const mine = sem.acquireSync(BOUND); // the free one: not abandoned
    if (mine === false) throw new Error("acquireSync of the Semaphore's free permit timed out");
    const g = await toldAbandoned(sem.acquire());
    expect(sem.value).toBe(0);
    g.release();
    mine.release();
    expect(sem.value).toBe(2);
    // Used as a signal (acquired in one thread, released by another), a dead acquirer held nothing.
    const signal = new Semaphore(0);
    const h = holder(signal, "terminate");
    signal.release();
    await once(h.worker, "message");
    await h.die();
    expect(await signal.acquire({ timeout: 200 })).toBe(false);
  }, 20_000);

  for (const Kind of [Semaphore, BoundedSemaphore]) {
    it(`a ${Kind.name} permit handed off (released for its dead acquirer, then taken again) is not given back twice`, async () => {
      const sem = new Kind(1);
      await killHolder(sem, "terminate"); // took the only permit and died with it counted as its own
      sem.release(); // given back for it (a signal: this thread held none)
      const mine = sem.acquireSync(BOUND); // the one permit, now this thread's
      if (mine === false) throw new Error("acquireSync of the released permit timed out");
      // The dead thread's count is stale: there is nothing to recover, the permit is this thread's.
      expect(await sem.acquire({ timeout: 5 * LIVENESS_SLICE_MS })).toBe(false);
      expect(sem.value).toBe(0);
      mine.release();
      expect(sem.value).toBe(1);
    }, 20_000);
  }

  it("a Condition waiter re-acquiring from a dead holder is told, and its own guard holds the lock", async () => {
    const cond = new Condition(new Lock());
    const g = (await cond.acquire()) as Guard;
    const waiting = cond.wait().then(
      () => undefined,
      (err: unknown) => err,
    );
    // Takes the lock the wait released, notifies, and dies holding it.
    const h = holder(cond, "terminate", { notify: true });
    await once(h.worker, "message");
    await h.die();
    const e = await waiting;
    expect(e).toBeInstanceOf(AbandonedLockError);
    expect((e as AbandonedLockError).guard).toBeUndefined();
    expect(cond.lock.locked()).toBe(true);
    g.release();
    expect(cond.lock.locked()).toBe(false);
  }, 20_000);
});

describe("ordered locking with an abandoned lock", () => {
  it("acquireAll takes every lock and reports the abandoned one with a MultiGuard", async () => {
    const { acquireAll, MultiGuard } = await import("../src/index.js");
    const a = new Lock();
    const b = new Lock();
    await killHolder(b, "terminate");
    const e = await acquireAll(a, b).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AbandonedLockError);
    const g = (e as AbandonedLockError).guard;
    expect(g).toBeInstanceOf(MultiGuard);
    expect(a.locked() && b.locked()).toBe(true);
    g!.release();
    expect(a.locked() || b.locked()).toBe(false);
  }, 20_000);

  // acquireAllSync has no timeout: on this thread, a lock never handed over would block it for good, so it
  // runs in a worker that the test can end.
  it("acquireAllSync takes every lock and reports the abandoned one with a MultiGuard", async () => {
    const a = new Lock();
    const b = new Lock();
    await killHolder(b, "terminate");
    const taker = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       const { marshal, acquireAllSync, MultiGuard } = require(${SYNC_CJS});
       const [a, b] = marshal.decode(workerData);
       try { acquireAllSync(a, b); parentPort.postMessage({ told: false }); }
       catch (e) {
         const both = a.locked() && b.locked();
         parentPort.postMessage({ told: e.name, multi: e.guard instanceof MultiGuard, both });
         e.guard?.release();
       }`,
      { eval: true, workerData: marshal.encode([a, b]) },
    );
    // Listened for now: a worker that has already ended emits its last messages and "exit" in one go.
    const exited = once(taker, "exit");
    try {
      const reply = await Promise.race([
        once(taker, "message").then(([m]) => m as unknown),
        new Promise((r) =>
          setTimeout(r, 10_000, { told: "nothing within 10 s: acquireAllSync still blocks" }),
        ),
      ]);
      expect(reply).toEqual({ told: "AbandonedLockError", multi: true, both: true });
      await exited;
      expect(a.locked() || b.locked()).toBe(false);
    } finally {
      await taker.terminate();
    }
  }, 20_000);
});
