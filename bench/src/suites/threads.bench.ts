// @weft/threads: what a Thread costs over a bare worker_threads Worker. Each sample is the mean wall time, in
// ms, to start a thread that returns a small value and join it (sequentially), or to start `batch` threads at
// once and join them all. The Thread does more: target loading, marshal walk, context snapshot, stdout flush
// before the result, and an ended-state handshake.
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { Thread } from "@weft/threads";
import type { Contender, Suite } from "../harness.js";

const task = { module: new URL("./threads/noop-task.mjs", import.meta.url), export: "echo" };
const rawEntry = new URL("./threads/raw-worker.mjs", import.meta.url);
const sequential = 10;
const batch = 20;

async function rawRoundTrip(value: number): Promise<number> {
  const worker = new Worker(rawEntry, { workerData: value });
  // Both listeners first: a worker that ends emits its last message and "exit" in the same turn.
  const exited = once(worker, "exit");
  const [message] = (await once(worker, "message")) as [number];
  await exited;
  return message;
}

async function threadRoundTrip(value: number, fn: boolean): Promise<number> {
  const t = new Thread({ target: fn ? (v: number) => v : task, args: [value] }).start();
  await t.join();
  return t.result as number;
}

function msPer(count: number, run: () => Promise<unknown>): Contender["measure"] {
  return async () => {
    const start = process.hrtime.bigint();
    await run();
    return Number(process.hrtime.bigint() - start) / 1e6 / count;
  };
}

type Each = (one: (i: number) => Promise<unknown>) => () => Promise<unknown>;

const serial: Each = (one) => async () => {
  for (let i = 0; i < sequential; i++) await one(i);
};
const parallel: Each = (one) => () => Promise.all(Array.from({ length: batch }, (_, i) => one(i)));

const MODULE_THREAD = "weft Thread (module target)";

/** A Thread with a module target, optionally one with a function target, and a raw Worker, each run by `each`. */
function contenders(count: number, each: Each, functionTarget: boolean): Contender[] {
  const thread = (fn: boolean) =>
    msPer(
      count,
      each((i) => threadRoundTrip(i, fn)),
    );
  return [
    { name: MODULE_THREAD, measure: thread(false) },
    ...(functionTarget ? [{ name: "weft Thread (function target)", measure: thread(true) }] : []),
    { name: "raw worker_threads Worker", measure: msPer(count, each(rawRoundTrip)) },
  ];
}

export const suites: Suite[] = [
  {
    id: "threads-start-join",
    title: `Start a thread, return a value, join it (${sequential} in a row)`,
    unit: "ms/thread",
    higherIsBetter: false,
    ours: MODULE_THREAD,
    rounds: 5,
    contenders: contenders(sequential, serial, true),
  },
  {
    id: "threads-batch",
    title: `Start ${batch} threads at once and join them all`,
    unit: "ms/thread",
    higherIsBetter: false,
    ours: MODULE_THREAD,
    rounds: 5,
    contenders: contenders(batch, parallel, false),
  },
];
