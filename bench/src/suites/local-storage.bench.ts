// @weft/local-storage: the cost of reading a ContextLocal, and of the snapshot()/runWith() pair that threads,
// pools and process pools run around every task. Each sample is the mean cost of one operation, in ns, over a
// tight loop of `ops` operations (a sink keeps V8 from removing the work).
import { AsyncLocalStorage } from "node:async_hooks";
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

const idleSuite: Suite = {
  id: "local-storage-propagation-idle",
  title: "Per-task snapshot()+runWith() when nothing propagating is set (only a non-propagating local is)",
  unit: "ns/task",
  higherIsBetter: false,
  ours: "weft snapshot+runWith",
  rounds: 7,
  contenders: [
    contender("weft snapshot+runWith", () =>
      plain.run("x", () => {
        for (let i = 0; i < ops; i++) sink += runWith(snapshot(), task);
      }),
    ),
    contender("bare task call", () =>
      plain.run("x", () => {
        for (let i = 0; i < ops; i++) sink += task();
      }),
    ),
  ],
};

// --- per-task propagation of one string, against the same done by hand on AsyncLocalStorage ----------------
const readTask = (): number => requestId.get().length;
const carrier = new AsyncLocalStorage<{ requestId: string }>();
const alsReadTask = (): number => (carrier.getStore() as { requestId: string }).requestId.length;

const busySuite: Suite = {
  id: "local-storage-propagation-one-value",
  title: "Per-task snapshot()+runWith() carrying one request id, task reads it (in-process, no thread hop)",
  unit: "ns/task",
  higherIsBetter: false,
  ours: "weft snapshot+runWith",
  rounds: 7,
  contenders: [
    contender("weft snapshot+runWith", () =>
      requestId.run("req-1", () => {
        for (let i = 0; i < ops; i++) sink += runWith(snapshot(), readTask);
      }),
    ),
    // the minimum a hand-made propagation does: read the caller's store, run the task in a fresh store object
    contender("hand-written ALS getStore+run", () =>
      carrier.run({ requestId: "req-1" }, () => {
        for (let i = 0; i < ops; i++) {
          const captured = (carrier.getStore() as { requestId: string }).requestId;
          sink += carrier.run({ requestId: captured }, alsReadTask);
        }
      }),
    ),
  ],
};

export const suites: Suite[] = [getSuite, idleSuite, busySuite];

process.on("exit", () => {
  if (sink === 42) console.log(""); // keeps the sink observable
});
