// @weft/local-storage: the cost of reading a ContextLocal, and of the snapshot()/runWith() pair that threads,
// pools and process pools run around every task. Each sample is the mean cost of one operation, in ns, over a
// tight loop of `ops` operations (a sink keeps V8 from removing the work). The last suite measures what merely
// importing the package costs a worker that never uses it (e.g. a pool worker): a MessagePort round trip.
import { AsyncLocalStorage } from "node:async_hooks";
import { Worker } from "node:worker_threads";
import { ContextLocal, runWith, snapshot } from "@weft/local-storage";
import type { Contender, Suite } from "../harness.js";

const ops = 2_000_000;
let sink = 0;

function nsPerOp(loop: () => void): number {
  const start = process.hrtime.bigint();
  loop();
  return Number(process.hrtime.bigint() - start) / ops;
}

function contender(name: string, loop: () => void): Contender {
  return { name, measure: () => nsPerOp(loop) };
}

const WEFT_PROPAGATION = "weft snapshot+runWith";

/** A per-task propagation suite: `weftLoop` (snapshot()+runWith() per task) against `peer`, in ns/task. */
function propagationSuite(id: string, title: string, weftLoop: () => void, peer: Contender): Suite {
  return {
    id,
    title,
    unit: "ns/task",
    higherIsBetter: false,
    ours: WEFT_PROPAGATION,
    rounds: 7,
    contenders: [contender(WEFT_PROPAGATION, weftLoop), peer],
  };
}

// --- get() against the raw AsyncLocalStorage it is built on --------------------------------------------------
const als = new AsyncLocalStorage<string>();
const requestId = new ContextLocal<string>({ name: "bench.requestId", propagate: true, default: "none" });
const plain = new ContextLocal<string>({ name: "bench.plain", default: "none" });

const getSuite: Suite = {
  id: "local-storage-get",
  title: "Read the current request id inside a run (ContextLocal.get vs AsyncLocalStorage.getStore)",
  unit: "ns/op",
  higherIsBetter: false,
  ours: "weft ContextLocal.get",
  rounds: 7,
  contenders: [
    contender("weft ContextLocal.get", () =>
      requestId.run("req-1", () => {
        for (let i = 0; i < ops; i++) sink += requestId.get().length;
      }),
    ),
    contender("AsyncLocalStorage.getStore", () =>
      als.run("req-1", () => {
        for (let i = 0; i < ops; i++) sink += (als.getStore() as string).length;
      }),
    ),
  ],
  // within 1.2x of getStore: ours/peer advantage of at least 1/1.2
  targets: { "AsyncLocalStorage.getStore": 1 / 1.2 },
};

// --- per-task propagation when nothing propagating is set ----------------------------------------------------
const task = (): number => 1;

const idleSuite = propagationSuite(
  "local-storage-propagation-idle",
  "Per-task snapshot()+runWith() when nothing propagating is set (only a non-propagating local is)",
  () =>
    plain.run("x", () => {
      for (let i = 0; i < ops; i++) sink += runWith(snapshot(), task);
    }),
  contender("bare task call", () =>
    plain.run("x", () => {
      for (let i = 0; i < ops; i++) sink += task();
    }),
  ),
);

// --- per-task propagation of one string, against the same done by hand on AsyncLocalStorage ----------------
const readTask = (): number => requestId.get().length;
const carrier = new AsyncLocalStorage<{ requestId: string }>();
const alsReadTask = (): number => (carrier.getStore() as { requestId: string }).requestId.length;

const busySuite = propagationSuite(
  "local-storage-propagation-one-value",
  "Per-task snapshot()+runWith() carrying one request id, task reads it (in-process, no thread hop)",
  () =>
    requestId.run("req-1", () => {
      for (let i = 0; i < ops; i++) sink += runWith(snapshot(), readTask);
    }),
  // the minimum a hand-made propagation does: read the caller's store, run the task in a fresh store object
  contender("hand-written ALS getStore+run", () =>
    carrier.run({ requestId: "req-1" }, () => {
      for (let i = 0; i < ops; i++) {
        const captured = (carrier.getStore() as { requestId: string }).requestId;
        sink += carrier.run({ requestId: captured }, alsReadTask);
      }
    }),
  ),
);

// --- a worker that only imports the package (as a pool worker does) vs a plain worker -------------------------
const ROUND_TRIPS = 20_000;
const AWAITS = 500_000;
const importWorker = new URL("./local-storage/ping-worker.mjs", import.meta.url);

/** A fresh worker per measurement (started in setup), importing @weft/local-storage or not. */
function inWorker(name: string, importWeft: boolean, measure: (w: Worker) => Promise<number>): Contender {
  let worker: Worker | undefined;
  return {
    name,
    async setup() {
      const w = new Worker(importWorker, { workerData: { importWeft } });
      worker = w;
      await new Promise<void>((resolve, reject) => {
        w.once("error", reject);
        w.once("message", () => resolve());
      });
      await measure(w); // warm up both ends
    },
    measure: () => measure(worker as Worker),
    async teardown() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}

/** µs per round trip of a number between this thread and the worker, one message in flight at a time. */
function pingPong(w: Worker): Promise<number> {
  return new Promise((resolve) => {
    const start = performance.now();
    const onReply = (n: number) => {
      if (n < ROUND_TRIPS) return w.postMessage(n + 1);
      w.off("message", onReply);
      resolve(((performance.now() - start) * 1000) / ROUND_TRIPS);
    };
    w.on("message", onReply);
    w.postMessage(1);
  });
}

/** ns per `await null` in a loop inside the worker. */
function awaitCost(w: Worker): Promise<number> {
  return new Promise((resolve) => {
    w.once("message", resolve);
    w.postMessage({ awaits: AWAITS });
  });
}

const weftWorker = "worker importing @weft/local-storage";

/** The same workload in a worker that imports the package and in a plain one; the first must not be slower. */
function importCost(
  id: string,
  workload: string,
  unit: string,
  measure: (w: Worker) => Promise<number>,
): Suite {
  return {
    id,
    title: `${workload} in a worker that imports @weft/local-storage and uses nothing (vs plain worker)`,
    unit,
    higherIsBetter: false,
    ours: weftWorker,
    rounds: 9,
    contenders: [inWorker(weftWorker, true, measure), inWorker("plain worker", false, measure)],
    targets: { "plain worker": 0.95 },
  };
}

const pingSuite = importCost(
  "local-storage-import-ping-pong",
  "MessagePort ping-pong with the main thread",
  "µs/round trip",
  pingPong,
);
const awaitSuite = importCost("local-storage-import-await", "`await null` in a loop", "ns/await", awaitCost);

export const suites: Suite[] = [getSuite, idleSuite, busySuite, pingSuite, awaitSuite];

process.on("exit", () => {
  if (sink === 42) console.log(""); // keeps the sink observable
});
