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

const serial = (one: (i: number) => Promise<unknown>) => async () => {
  for (let i = 0; i < sequential; i++) await one(i);
};
const parallel = (one: (i: number) => Promise<unknown>) => () =>
  Promise.all(Array.from({ length: batch }, (_, i) => one(i)));

export const suites: Suite[] = [
  {
    id: "threads-start-join",
    title: `Start a thread, return a value, join it (${sequential} in a row)`,
    unit: "ms/thread",
    higherIsBetter: false,
    ours: "weft Thread (module target)",
    rounds: 5,
    contenders: [
      {
        name: "weft Thread (module target)",
        measure: msPer(
          sequential,
          serial((i) => threadRoundTrip(i, false)),
        ),
      },
      {
        name: "weft Thread (function target)",
        measure: msPer(
          sequential,
          serial((i) => threadRoundTrip(i, true)),
        ),
      },
      { name: "raw worker_threads Worker", measure: msPer(sequential, serial(rawRoundTrip)) },
    ],
  },
  {
    id: "threads-batch",
    title: `Start ${batch} threads at once and join them all`,
    unit: "ms/thread",
    higherIsBetter: false,
    ours: "weft Thread (module target)",
    rounds: 5,
    contenders: [
      {
        name: "weft Thread (module target)",
        measure: msPer(
          batch,
          parallel((i) => threadRoundTrip(i, false)),
        ),
      },
      { name: "raw worker_threads Worker", measure: msPer(batch, parallel(rawRoundTrip)) },
    ],
  },
];
