// @weft/pool against piscina and poolifier (and raw worker_threads where it is the yardstick), pool size 2.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { moduleTask, ThreadPoolExecutor, type TypedModuleTarget } from "@weft/pool";
import { Piscina } from "piscina";
import { FixedThreadPool } from "poolifier";
import type { Suite } from "../harness.js";
import { pinMainThread, pinWorkers } from "./lib/affinity.js";
import { bounded, pooled } from "./lib/pooled.js";
import { perTask, rate } from "./lib/timing.js";

const dir = new URL("./pool/", import.meta.url);
const piscinaFile = new URL("piscina-worker.mjs", dir).href;
const poolifierFile = fileURLToPath(new URL("poolifier-worker.mjs", dir));
const weftTasks = new URL("weft-tasks.mjs", dir);
const noop: TypedModuleTarget<(x: number) => number> = moduleTask(weftTasks, "noop");
const spin: TypedModuleTarget<(ms: number) => number> = moduleTask(weftTasks, "spin");
const echoMoved: TypedModuleTarget<(b: ArrayBuffer) => ArrayBuffer> = moduleTask(weftTasks, "echoMoved");
const threadId: TypedModuleTarget<(holdMs: number) => number> = moduleTask(weftTasks, "threadId");

const N_NOOP = 100_000;
const N_SEQ = 5_000;
const N_TRANSFER = 2_000;
const WARM_TRANSFER = 6_000;
const MIB16 = 16 << 20;
const CPU_TASKS = 16;
const CPU_MS = 50;

const weftPool = (workers = 2) => new ThreadPoolExecutor({ maxWorkers: workers, minWorkers: workers });
const weftWarm = (p: ThreadPoolExecutor) =>
  Promise.all([p.submit(spin, 5), p.submit(spin, 5), p.submit(echoMoved, new ArrayBuffer(8))]);
const piscinaPool = (workers = 2) =>
  new Piscina({ filename: piscinaFile, minThreads: workers, maxThreads: workers });
const piscinaWarm = (p: Piscina) =>
  Promise.all([p.run({ kind: "spin", ms: 5 }), p.run({ kind: "spin", ms: 5 })]);
const poolifierPool = () => new FixedThreadPool(2, poolifierFile);
const poolifierWarm = (p: FixedThreadPool<unknown, unknown>) =>
  Promise.all([p.execute({ kind: "spin", ms: 5 }), p.execute({ kind: "spin", ms: 5 })]);

function noopSuite(): Suite {
  return {
    id: "pool-noop-throughput",
    title: `100k no-op tasks submitted at once, pool of 2`,
    unit: "tasks/s",
    higherIsBetter: true,
    ours: "weft",
    targets: { poolifier: 1.5, piscina: 4 },
    contenders: [
      pooled(
        "weft",
        () => weftPool(),
        weftWarm,
        (p) =>
          rate(N_NOOP, () => {
            const fs = new Array(N_NOOP);
            for (let i = 0; i < N_NOOP; i++) fs[i] = p.submit(noop, i);
            return Promise.all(fs);
          }),
        (p) => p.shutdown(),
      ),
      pooled(
        "piscina",
        () => piscinaPool(),
        piscinaWarm,
        (p) =>
          rate(N_NOOP, () => {
            const fs = new Array(N_NOOP);
            for (let i = 0; i < N_NOOP; i++) fs[i] = p.run({ kind: "noop", x: i });
            return Promise.all(fs);
          }),
        (p) => bounded(p.destroy()),
      ),
      pooled(
        "poolifier",
        poolifierPool,
        poolifierWarm,
        (p) =>
          rate(N_NOOP, () => {
            const fs = new Array(N_NOOP);
            for (let i = 0; i < N_NOOP; i++) fs[i] = p.execute({ kind: "noop", x: i });
            return Promise.all(fs);
          }),
        (p) => bounded(p.destroy()),
      ),
    ],
  };
}

// Pinned to one CPU (pinToOneCpu), as the anchors were (`taskset -c 0`): a round trip is then a context
// switch, not a cross-CPU wake-up whose cost depends on what the other CPU is doing.
function latencySuite(): Suite {
  return {
    id: "pool-sequential-latency",
    pinToOneCpu: true,
    title: `sequential round trip (submit, await, repeat ${N_SEQ}x), pool of 2`,
    unit: "µs",
    higherIsBetter: false,
    ours: "weft",
    targets: { piscina: 1 },
    contenders: [
      pooled(
        "weft",
        () => weftPool(),
        weftWarm,
        (p) => perTask(N_SEQ, () => p.submit(noop, 1)),
        (p) => p.shutdown(),
      ),
      pooled(
        "piscina",
        () => piscinaPool(),
        piscinaWarm,
        (p) => perTask(N_SEQ, () => p.run({ kind: "noop", x: 1 })),
        (p) => bounded(p.destroy()),
      ),
      pooled(
        "poolifier",
        poolifierPool,
        poolifierWarm,
        (p) => perTask(N_SEQ, () => p.execute({ kind: "noop", x: 1 })),
        (p) => bounded(p.destroy()),
      ),
    ],
  };
}

// Each contender has its own loop that moves one 16 MiB buffer `n` times (not one loop taking a round-trip
// function): a call site shared by all contenders sees three different callees, so V8 inlines none of
// them, and the contender with the most JavaScript per round trip (weft) pays most for it. Measured in one
// process: weft 33 µs per round trip through the shared loop, 28 µs through a loop of its own. An
// application's loop calls one pool, so this is the fair shape.
function checkWhole(buf: ArrayBuffer): void {
  if (buf.byteLength !== MIB16) throw new Error("the 16 MiB buffer did not come back whole");
}

async function weftLoop(p: ThreadPoolExecutor, n: number): Promise<void> {
  let buf = new ArrayBuffer(MIB16);
  for (let i = 0; i < n; i++) buf = await p.submitWith({ transfer: [buf] }, echoMoved, buf);
  checkWhole(buf);
}

async function piscinaLoop(p: Piscina, n: number): Promise<void> {
  let buf = new ArrayBuffer(MIB16);
  for (let i = 0; i < n; i++) buf = await p.run({ kind: "echo", buf }, { transferList: [buf] });
  checkWhole(buf);
}

/** Where the threads of a transfer suite run. */
type Layout = "cpu-per-side" | "one-cpu";

// Every contender does exactly the same work per round trip: one message with the 16 MiB ArrayBuffer in its
// transfer list to the worker, one message moving the same buffer back; nothing is copied. Every contender
// gets the same warm-up, WARM_TRANSFER round trips on its freshly started workers: a pool's per-task code
// runs in two isolates and only reaches its steady speed once V8 has optimized it (a fresh weft pool needs
// ~5,000 tasks; its first 1,000 round trips take 2-3x as long as later ones, a raw echo handler's ~1.5x), and
// the "within 1.2x of raw" is about that steady state.
//
// Two layouts, because on this 2-CPU machine the unpinned figure is bimodal (measured: 12 µs a round trip
// when the scheduler happens to keep both threads on one CPU, 75-80 µs when it spreads them), so each is
// fixed instead:
// - "cpu-per-side": the main thread on CPU 0, every worker thread on CPU 1 — a pool of 2 on 2 cores, and
//   the figure the anchors give for raw worker_threads (15,288/s, ~65 µs: cross-CPU wake-ups).
// - "one-cpu": everything on CPU 0 (a 1-CPU container). Each round trip is then two context switches, and
//   the figure depends on the kernel scheduler: Node wakes the receiving thread while it holds the
//   receiving port's mutex, and when the woken thread preempts the sender it blocks on that mutex at once.
//   Measured with strace over 6,000 round trips: ~1 such futex wait per round trip for weft, ~0.4 for raw
//   worker_threads, while weft's own JavaScript costs ~0.4 µs a round trip (both sides, in-process). So
//   here weft sits right at the 1.2x bound (0.83-0.84x in five runs), and samples are long (10,000 round
//   trips, ~0.1 s) because ms-long stalls (seen in 250-round-trip slices, for every contender) swing short
//   samples by 1.5x.
function transferSuite(layout: Layout): Suite {
  const oneCpu = layout === "one-cpu";
  const n = oneCpu ? 10_000 : N_TRANSFER;
  let raw: Worker | undefined;
  let rawResolve: ((b: ArrayBuffer) => void) | undefined;
  const rawLoop = async (count: number): Promise<void> => {
    let buf = new ArrayBuffer(MIB16);
    for (let i = 0; i < count; i++) {
      const back = new Promise<ArrayBuffer>((r) => {
        rawResolve = r;
      });
      raw!.postMessage(buf, [buf]);
      buf = await back;
    }
    checkWhole(buf);
  };
  // cpu-per-side: pins the main thread and a contender's workers once they run (every contender asks its
  // workers for their thread ids either way, so all have the same set-up).
  const place = (threadIds: number[], workers: number): void => {
    if (oneCpu) return;
    pinMainThread();
    pinWorkers(threadIds, workers);
  };
  return {
    id: oneCpu ? "pool-transfer-16mib-one-cpu" : "pool-transfer-16mib",
    pinToOneCpu: oneCpu,
    // Single samples swing by up to 1.5x on this shared 2-core machine (for raw worker_threads too), so
    // the median is taken over more rounds than the default 5.
    rounds: 9,
    title: `16 MiB ArrayBuffer round trips, moved both ways (${n} sequential), ${
      oneCpu ? "one CPU for all threads" : "main thread on CPU 0, workers on CPU 1"
    }`,
    unit: "round trips/s",
    higherIsBetter: true,
    ours: "weft",
    // within 1.2x of raw worker_threads: ours/raw >= 1/1.2
    targets: { "raw worker_threads": 1 / 1.2, piscina: 1 },
    contenders: [
      pooled(
        "weft",
        () => weftPool(),
        async (p) => {
          place(await Promise.all([p.submit(threadId, 20), p.submit(threadId, 20)]), 2);
          await weftWarm(p);
          await weftLoop(p, WARM_TRANSFER);
        },
        (p) => rate(n, () => weftLoop(p, n)),
        (p) => p.shutdown(),
      ),
      pooled(
        "piscina",
        () => piscinaPool(),
        async (p) => {
          const ask = () => p.run({ kind: "threadId", ms: 20 }) as Promise<number>;
          place(await Promise.all([ask(), ask()]), 2);
          await piscinaWarm(p);
          await piscinaLoop(p, WARM_TRANSFER);
        },
        (p) => rate(n, () => piscinaLoop(p, n)),
        (p) => bounded(p.destroy()),
      ),
      {
        // One persistent listener: adding and removing a listener per message (once()) restarts the port
        // and would make the baseline slower than it is.
        name: "raw worker_threads",
        async setup() {
          raw = new Worker(new URL("raw-echo-worker.mjs", dir));
          // Its first message is its thread id, then it echoes.
          place([await new Promise<number>((r) => raw!.once("message", r))], 1);
          raw.on("message", (b: ArrayBuffer) => rawResolve?.(b));
          await rawLoop(WARM_TRANSFER);
        },
        measure: () => rate(n, () => rawLoop(n)),
        async teardown() {
          await raw!.terminate();
        },
      },
    ],
  };
}

function cpuSuite(): Suite {
  // One sample = time with 1 worker / time with 2 workers for 16 x 50 ms of busy work. Only the tasks are
  // timed: each pool is created and warmed up (every worker running) before, and shut down after.
  const speedup = async (run: (workers: number) => Promise<number>) => (await run(1)) / (await run(2));
  const timed = async (work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    return performance.now() - t0;
  };
  return {
    id: "pool-cpu-speedup",
    title: `CPU-bound speedup from 1 to 2 workers (${CPU_TASKS} x ${CPU_MS} ms busy tasks)`,
    unit: "x",
    higherIsBetter: true,
    ours: "weft",
    rounds: 3,
    // "ideal" is 2.0 on 2 cores: ours/ideal >= 0.95 means a speedup of 1.9 or better.
    targets: { "ideal (2 cores)": 0.95 },
    contenders: [
      {
        name: "weft",
        measure: () =>
          speedup(async (n) => {
            const p = weftPool(n);
            await weftWarm(p);
            const ms = await timed(() =>
              Promise.all(Array.from({ length: CPU_TASKS }, () => p.submit(spin, CPU_MS))),
            );
            await p.shutdown();
            return ms;
          }),
      },
      {
        name: "piscina",
        measure: () =>
          speedup(async (n) => {
            const p = piscinaPool(n);
            await piscinaWarm(p);
            const ms = await timed(() =>
              Promise.all(Array.from({ length: CPU_TASKS }, () => p.run({ kind: "spin", ms: CPU_MS }))),
            );
            await bounded(p.destroy());
            return ms;
          }),
      },
      { name: "ideal (2 cores)", measure: () => 2 },
    ],
  };
}

function rssSuite(): Suite {
  const child = fileURLToPath(new URL("rss-child.mjs", dir));
  const measure = (name: string) => () =>
    Number(execFileSync(process.execPath, [child, name], { encoding: "utf8", timeout: 120_000 }).trim());
  return {
    id: "pool-rss-100k-queued",
    title: "peak RSS with 100k no-op tasks queued at once, pool of 2 (one child process per contender)",
    unit: "MB",
    higherIsBetter: false,
    ours: "weft",
    warmup: 0,
    targets: { piscina: 1 },
    contenders: ["weft", "piscina", "poolifier"].map((name) => ({ name, measure: measure(name) })),
  };
}

export function suites(): Suite[] {
  return [
    noopSuite(),
    latencySuite(),
    transferSuite("cpu-per-side"),
    transferSuite("one-cpu"),
    cpuSuite(),
    rssSuite(),
  ];
}
