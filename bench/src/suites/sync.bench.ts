import { Worker } from "node:worker_threads";
import { Lock, marshal } from "@weft/sync";
import { Semaphore as AmSemaphore, Mutex } from "async-mutex";
import type { Contender, Suite } from "../harness.js";

// @weft/sync against async-mutex (one event loop) and against a hand-written futex mutex and Atomics.add
// (two worker threads). Figures: uncontended ops/s, the contended one-loop test (1000 tasks x 1000 locked
// increments with an await inside), ns per cross-thread increment, and heap bytes per uncontended op.

const UNCONTENDED_OPS = 200_000;

const weftLock = new Lock();
const amMutex = new Mutex();
const amSemaphore = new AmSemaphore(1);

// Each loop is written out (no helper function per op) so every contender pays only its own awaits.
async function weftOps(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await weftLock.acquire();
    weftLock.release();
  }
}
async function mutexOps(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const release = await amMutex.acquire();
    release();
  }
}
async function semaphoreOps(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const [, release] = await amSemaphore.acquire();
    release();
  }
}

async function opsPerSecond(loop: (n: number) => Promise<void>): Promise<number> {
  await loop(1000);
  const t0 = performance.now();
  await loop(UNCONTENDED_OPS);
  return UNCONTENDED_OPS / ((performance.now() - t0) / 1000);
}

const uncontended: Suite = {
  id: "sync-uncontended",
  title: "one event loop, uncontended acquire + release",
  unit: "ops/s",
  higherIsBetter: true,
  ours: "weft Lock",
  rounds: 5,
  contenders: [
    { name: "weft Lock", measure: () => opsPerSecond(weftOps) },
    { name: "async-mutex Mutex", measure: () => opsPerSecond(mutexOps) },
    { name: "async-mutex Semaphore(1)", measure: () => opsPerSecond(semaphoreOps) },
  ],
  targets: { "async-mutex Mutex": 10 },
};

const syncUncontended: Suite = {
  id: "sync-uncontended-sync",
  title: "uncontended acquire + release without await (weft acquireSync / tryAcquire vs raw futex)",
  unit: "ops/s",
  higherIsBetter: true,
  ours: "weft Lock acquireSync",
  rounds: 5,
  contenders: [
    {
      name: "weft Lock acquireSync",
      measure() {
        const n = 5_000_000;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          weftLock.acquireSync();
          weftLock.release();
        }
        return n / ((performance.now() - t0) / 1000);
      },
    },
    {
      name: "hand-written futex",
      measure() {
        const i32 = new Int32Array(new SharedArrayBuffer(4));
        const n = 5_000_000;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          if (Atomics.compareExchange(i32, 0, 0, 1) !== 0) throw new Error("contended");
          if (Atomics.exchange(i32, 0, 0) === 2) Atomics.notify(i32, 0, 1);
        }
        return n / ((performance.now() - t0) / 1000);
      },
    },
  ],
};

const TASKS = 1000;
const INCREMENTS = 1000;

async function contendedMs(acquire: () => Promise<() => void>): Promise<number> {
  let counter = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: TASKS }, async () => {
      for (let i = 0; i < INCREMENTS; i++) {
        const release = await acquire();
        const v = counter;
        await null;
        counter = v + 1;
        release();
      }
    }),
  );
  const ms = performance.now() - t0;
  if (counter !== TASKS * INCREMENTS) throw new Error(`lost updates: ${counter}`);
  return ms;
}

const contendedLock = new Lock();
const releaseWeft = (): void => contendedLock.release();
const contended: Suite = {
  id: "sync-contended-loop",
  title: "one event loop, 1000 tasks x 1000 locked increments with an await inside",
  unit: "ms",
  higherIsBetter: false,
  ours: "weft Lock",
  rounds: 3,
  contenders: [
    {
      name: "weft Lock",
      measure: () =>
        contendedMs(async () => {
          await contendedLock.acquire();
          return releaseWeft;
        }),
    },
    {
      name: "async-mutex Mutex",
      measure: () => {
        const m = new Mutex();
        return contendedMs(() => m.acquire());
      },
    },
    {
      name: "async-mutex Semaphore(1)",
      measure: () => {
        const s = new AmSemaphore(1);
        return contendedMs(async () => (await s.acquire())[1]);
      },
    },
  ],
};

// Cross-thread: each worker waits for `go`, does N increments of a plain shared counter under the lock
// (or Atomics.add), and exits. ns/increment = wall time from go to both exits / (2 N).
const N = 1_000_000;
const workerSource = (body: string): string => `
const { workerData, parentPort } = require("node:worker_threads");
const { marshal } = require("@weft/sync");
const { lock, i32, counter, n } = marshal.decode(workerData);
parentPort.postMessage("ready");
Atomics.wait(counter, 1, 0);
${body}
parentPort.postMessage("done");
`;

const bodies: Record<string, string> = {
  "weft Lock acquireSync": `for (let k = 0; k < n; k++) { lock.acquireSync(); counter[0]++; lock.release(); }`,
  "hand-written futex mutex": `for (let k = 0; k < n; k++) {
    let c = Atomics.compareExchange(i32, 0, 0, 1);
    if (c !== 0) { if (c !== 2) c = Atomics.exchange(i32, 0, 2);
      while (c !== 0) { Atomics.wait(i32, 0, 2); c = Atomics.exchange(i32, 0, 2); } }
    counter[0]++;
    if (Atomics.exchange(i32, 0, 0) === 2) Atomics.notify(i32, 0, 1);
  }`,
  "Atomics.add (no lock)": `for (let k = 0; k < n; k++) Atomics.add(counter, 0, 1);`,
};

function crossThread(name: string): Contender {
  let workers: Worker[] = [];
  let counter: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let ready: Promise<unknown> = Promise.resolve();
  return {
    name,
    async setup() {
      counter = new Int32Array(new SharedArrayBuffer(8));
      const data = marshal.encode({
        lock: new Lock(),
        i32: new Int32Array(new SharedArrayBuffer(4)),
        counter,
        n: N,
      });
      workers = [0, 1].map(() => new Worker(workerSource(bodies[name]!), { eval: true, workerData: data }));
      ready = Promise.all(workers.map((w) => new Promise((r) => w.once("message", r))));
      await ready;
    },
    async measure() {
      const done = Promise.all(workers.map((w) => new Promise((r) => w.once("message", r))));
      const t0 = performance.now();
      Atomics.store(counter, 1, 1);
      Atomics.notify(counter, 1);
      await done;
      const ns = ((performance.now() - t0) * 1e6) / (2 * N);
      if (counter[0] !== 2 * N) throw new Error(`${name}: lost updates (${counter[0]})`);
      return ns;
    },
    async teardown() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

const cross: Suite = {
  id: "sync-cross-thread",
  title: "2 workers x 1M increments of a shared counter",
  unit: "ns/increment",
  higherIsBetter: false,
  ours: "weft Lock acquireSync",
  rounds: 7,
  contenders: Object.keys(bodies).map(crossThread),
  // within 1.3x of the hand-written futex mutex: futex/weft >= 1/1.3
  targets: { "hand-written futex mutex": 0.77 },
};

// Heap bytes per uncontended op: heapUsed growth over a batch small enough not to trigger a scavenge,
// best of several batches. "await a settled promise" is the floor any awaited acquire pays.
const BATCH = 20_000;
async function bytesPerOp(loop: (n: number) => Promise<void>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let b = 0; b < 5; b++) {
    await loop(100);
    const before = process.memoryUsage().heapUsed;
    await loop(BATCH);
    const after = process.memoryUsage().heapUsed;
    if (after >= before) best = Math.min(best, (after - before) / BATCH);
  }
  return best === Number.POSITIVE_INFINITY ? 0 : best;
}
const settled = Promise.resolve();
async function floorOps(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await settled;
}

const allocations: Suite = {
  id: "sync-allocations",
  title: "heap bytes allocated per uncontended awaited acquire + release (includes the caller's await)",
  unit: "bytes/op",
  higherIsBetter: false,
  ours: "weft await lock.acquire()",
  rounds: 3,
  contenders: [
    { name: "weft await lock.acquire()", measure: () => bytesPerOp(weftOps) },
    { name: "floor: await a settled promise", measure: () => bytesPerOp(floorOps) },
    { name: "async-mutex Mutex", measure: () => bytesPerOp(mutexOps) },
    { name: "async-mutex Semaphore(1)", measure: () => bytesPerOp(semaphoreOps) },
  ],
};

/**
 * Bytes per op of the synchronous paths once optimized: the guard does not escape the loop, so V8 removes it
 * (~0). Printed, not part of a suite. Each path has a loop of its own (a loop shared by both paths calls a
 * polymorphic closure and keeps the guard), warmed with 400k iterations first (before that, interpreted
 * and baseline code allocate each guard).
 */
const syncLock = new Lock();
function acquireSyncLoop(n: number): void {
  for (let i = 0; i < n; i++) {
    syncLock.acquireSync();
    syncLock.release();
  }
}
function tryAcquireLoop(n: number): void {
  for (let i = 0; i < n; i++) {
    const g = syncLock.tryAcquire();
    if (g) g.release();
  }
}
function syncAllocations(): void {
  const measure = (loop: (n: number) => void): number => {
    loop(400_000);
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    loop(BATCH * 50);
    return Math.max(0, process.memoryUsage().heapUsed - before) / (BATCH * 50);
  };
  const a = measure(acquireSyncLoop);
  const b = measure(tryAcquireLoop);
  console.log(
    `\nsync paths, heap bytes/op: acquireSync+release ${a.toFixed(3)}, tryAcquire+guard.release ${b.toFixed(3)}`,
  );
}

export function suites(): Suite[] {
  syncAllocations();
  return [uncontended, syncUncontended, allocations, contended, cross];
}
