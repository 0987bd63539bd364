// @weft/process-pool against poolifier (FixedClusterPool), workerpool (process workers) and tinypool
// (runtime child_process), plus raw child_process.fork IPC as the yardstick; pool size 2.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { moduleTask, ProcessPoolExecutor, type TypedModuleTarget } from "@weft/process-pool";
import { FixedClusterPool } from "poolifier";
import Tinypool from "tinypool";
import workerpool from "workerpool";
import type { Contender, Suite } from "../harness.js";
import { bounded, pooled } from "./lib/pooled.js";
import { perTask, rate } from "./lib/timing.js";

const dir = new URL("./process-pool/", import.meta.url);
const poolifierFile = fileURLToPath(new URL("poolifier-cluster-worker.cjs", dir));
const workerpoolFile = fileURLToPath(new URL("workerpool-worker.mjs", dir));
const tinypoolFile = new URL("tinypool-worker.mjs", dir).href;
const rawChild = fileURLToPath(new URL("raw-child.mjs", dir));
const noop: TypedModuleTarget<(x: number) => number> = moduleTask(
  new URL("./pool/weft-tasks.mjs", import.meta.url),
  "noop",
);

const N_NOOP = 20_000;
const N_SEQ = 5_000;
const WARM_BURST = 200;
const WARM_SEQ = 10_000;
const WORKERS = 2;
// Children must not inherit the bench's `--import tsx --expose-gc` (peers' children do not either).
const execArgv: string[] = [];

function all(n: number, start: (i: number) => Promise<unknown>): Promise<unknown> {
  const fs = new Array<Promise<unknown>>(n);
  for (let i = 0; i < n; i++) fs[i] = start(i);
  return Promise.all(fs);
}

/**
 * The same warm-up for every contender (not timed; every measurement gets fresh processes): WARM_BURST tasks
 * at once, then WARM_SEQ one after another. Both ends of a round trip are JavaScript that V8 optimizes only
 * after thousands of calls, in two processes: with a 500-task warm-up even raw fork IPC measured ~75-100 µs
 * per round trip, against ~45 µs once warm, and a pool's larger per-task code takes longer still (measured
 * in 2,000-task steps from a fresh start, pinned: raw 153, 55, 51, 45, 45, 44 µs...; weft 302, 78, 60, 65,
 * 55, 52, 52, 51, 50 µs...). The "within 1.2x of raw fork IPC" is about that steady state, so each
 * side gets there first.
 */
async function warmN(run: (i: number) => Promise<unknown>): Promise<void> {
  await all(WARM_BURST, run);
  for (let i = 0; i < WARM_SEQ; i++) await run(i);
}

const weft = (measure: (p: ProcessPoolExecutor) => Promise<number>): Contender =>
  pooled(
    "weft",
    () => new ProcessPoolExecutor({ maxWorkers: WORKERS, minWorkers: WORKERS, execArgv }),
    (p) => warmN((i) => p.submit(noop, i)),
    measure,
    (p) => p.shutdown(),
  );

const poolifier = (measure: (p: FixedClusterPool<{ x: number }, number>) => Promise<number>): Contender =>
  pooled(
    "poolifier cluster",
    () => new FixedClusterPool<{ x: number }, number>(WORKERS, poolifierFile, { settings: { execArgv } }),
    (p) => warmN((i) => p.execute({ x: i })),
    measure,
    (p) => bounded(p.destroy()),
  );

const workerpoolProcess = (measure: (p: ReturnType<typeof workerpool.pool>) => Promise<number>): Contender =>
  pooled(
    "workerpool process",
    () =>
      workerpool.pool(workerpoolFile, {
        workerType: "process",
        minWorkers: WORKERS,
        maxWorkers: WORKERS,
        forkOpts: { execArgv },
      }),
    (p) => warmN((i) => p.exec("noop", [i]) as unknown as Promise<unknown>),
    measure,
    (p) => bounded(Promise.resolve(p.terminate())),
  );

const tinypoolProcess = (measure: (p: Tinypool) => Promise<number>): Contender =>
  pooled(
    "tinypool child_process",
    () =>
      new Tinypool({
        filename: tinypoolFile,
        runtime: "child_process",
        minThreads: WORKERS,
        maxThreads: WORKERS,
        execArgv,
      }),
    (p) => warmN((i) => p.run(i)),
    measure,
    (p) => bounded(p.destroy()),
  );

/** Raw fork with the given serialization: one child echoing messages. */
function rawFork(serialization: "advanced" | "json"): Contender {
  let child: ChildProcess | undefined;
  return {
    name: `raw fork IPC (${serialization})`,
    async setup() {
      const c = fork(rawChild, [], { serialization, execArgv });
      child = c;
      // One message in flight at a time (an echo has no ids to match replies), as many as warmN sends.
      for (let i = 0; i < WARM_BURST + WARM_SEQ; i++) {
        const reply = once(c, "message");
        c.send(1);
        await reply;
      }
    },
    measure() {
      const c = child!;
      return perTask(N_SEQ, () => {
        const reply = once(c, "message");
        c.send(1);
        return reply;
      });
    },
    async teardown() {
      const c = child!;
      c.kill();
      if (c.exitCode === null && c.signalCode === null) await once(c, "exit");
      child = undefined;
    },
  };
}

function throughputSuite(): Suite {
  const submitAll = (start: (i: number) => Promise<unknown>) => rate(N_NOOP, () => all(N_NOOP, start));
  return {
    id: "process-pool-noop-throughput",
    title: `${N_NOOP / 1000}k no-op tasks submitted at once, ${WORKERS} child processes`,
    unit: "tasks/s",
    higherIsBetter: true,
    ours: "weft",
    targets: { "poolifier cluster": 1.5 },
    contenders: [
      weft((p) => submitAll((i) => p.submit(noop, i))),
      poolifier((p) => submitAll((i) => p.execute({ x: i }))),
      workerpoolProcess((p) => submitAll((i) => p.exec("noop", [i]) as unknown as Promise<unknown>)),
      tinypoolProcess((p) => submitAll((i) => p.run(i))),
    ],
  };
}

function latencySuite(): Suite {
  return {
    id: "process-pool-sequential-latency",
    pinToOneCpu: true,
    title: `sequential round trip (submit, await, repeat ${N_SEQ}x), ${WORKERS} child processes`,
    unit: "µs",
    higherIsBetter: false,
    ours: "weft",
    // within 1.2x of raw fork IPC with the same (advanced) serialization: raw/ours >= 1/1.2
    targets: { "raw fork IPC (advanced)": 1 / 1.2 },
    contenders: [
      weft((p) => perTask(N_SEQ, () => p.submit(noop, 1))),
      rawFork("advanced"),
      rawFork("json"),
      poolifier((p) => perTask(N_SEQ, () => p.execute({ x: 1 }))),
      workerpoolProcess((p) => perTask(N_SEQ, () => p.exec("noop", [1]) as unknown as Promise<unknown>)),
      tinypoolProcess((p) => perTask(N_SEQ, () => p.run(1))),
    ],
  };
}

export function suites(): Suite[] {
  return [throughputSuite(), latencySuite()];
}
