// @weft/distributed's DistributedExecutor against hand-written BullMQ (Queue.addBulk + Worker + QueueEvents
// completion events, resolved by job id) with the same worker processes and concurrency, on a private
// redis-server; plus weft's throughput with 1, 2 and 4 worker processes (the scaling curve).
import { type ChildProcess, fork, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DistributedExecutor, moduleTask } from "@weft/distributed";
import { Queue, QueueEvents } from "bullmq";
import type { Contender, Suite } from "../harness.js";
import { perTask, rate } from "./lib/timing.js";

const N_TASKS = 10_000;
const N_SEQ = 300;
const CONCURRENCY = 32;
const noopModule = new URL("./distributed/weft-tasks.mjs", import.meta.url);
const noop = moduleTask<(x: number) => number>(noopModule, "noop");
const rawWorkerFile = fileURLToPath(new URL("./distributed/raw-worker.mjs", import.meta.url));
const require = createRequire(import.meta.url);
const weftWorker = join(dirname(require.resolve("@weft/distributed/package.json")), "dist/cli.js");

interface Redis {
  port: number;
  url: string;
  stopSync(): void;
}
let redis: Promise<Redis> | undefined;
/** One private Redis per suite process, started on first use and killed when the process exits. */
function privateRedis(): Promise<Redis> {
  redis ??= (async () => {
    const script = new URL("../../../packages/distributed/scripts/local-redis.mjs", import.meta.url).href;
    const { startRedis } = (await import(script)) as { startRedis: () => Promise<Redis> };
    const r = await startRedis();
    process.once("exit", () => r.stopSync());
    return r;
  })();
  return redis;
}

let queueSeq = 0;
const freshQueue = () => `bench-${process.pid}-${++queueSeq}`;

function startWeftWorkers(url: string, queue: string, n: number): Promise<ChildProcess[]> {
  const args = [
    "--redis",
    url,
    "--queue",
    queue,
    "--module",
    noopModule.href,
    "--concurrency",
    String(CONCURRENCY),
  ];
  return Promise.all(
    Array.from({ length: n }, async () => {
      const child = spawn(process.execPath, [weftWorker, ...args], { stdio: ["ignore", "ignore", "pipe"] });
      let log = "";
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on("data", (d: Buffer) => {
          log += d.toString();
          if (log.includes("serving queue")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`weft-worker exited with ${code}: ${log}`)));
      });
      return child;
    }),
  );
}

function startRawWorkers(port: number, queue: string, n: number): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const child = fork(rawWorkerFile, [String(port), queue, String(CONCURRENCY)], {
        execArgv: [],
        stdio: "ignore",
      });
      await once(child, "message");
      return child;
    }),
  );
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((c) => {
      if (c.exitCode !== null || c.signalCode !== null) return undefined;
      c.kill("SIGKILL");
      return once(c, "exit");
    }),
  );
}

/** Hand-written BullMQ: a Queue, a QueueEvents that resolves each job's promise on its completed event. */
class RawBull {
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly #waiting = new Map<string, (v: unknown) => void>();
  #seq = 0;
  constructor(port: number, name: string) {
    const connection = { host: "127.0.0.1", port };
    this.queue = new Queue(name, { connection });
    this.events = new QueueEvents(name, { connection });
    this.events.on("completed", ({ jobId, returnvalue }) => {
      const resolve = this.#waiting.get(jobId);
      if (resolve !== undefined) {
        this.#waiting.delete(jobId);
        resolve(returnvalue);
      }
    });
  }
  async ready(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
  }
  /** Adds `xs` as jobs in one addBulk (as DistributedExecutor batches what is submitted in one tick). */
  run(xs: number[]): Promise<unknown[]> {
    const jobs = xs.map((x) => ({ name: "noop", data: { x }, opts: { jobId: `r${++this.#seq}` } }));
    const results = jobs.map((j) => new Promise((resolve) => this.#waiting.set(j.opts.jobId, resolve)));
    void this.queue.addBulk(jobs);
    return Promise.all(results);
  }
  async close(): Promise<void> {
    await this.events.close();
    await this.queue.obliterate({ force: true });
    await this.queue.close();
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** CPU time (user + system) a process has used, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
}

/** µs of worker-process CPU per task: load on the machine changes wall time far more than CPU time. */
async function workerCpu(children: ChildProcess[], run: () => Promise<unknown>): Promise<number> {
  const before = children.reduce((sum, c) => sum + cpuMs(c.pid!), 0);
  await run();
  const after = children.reduce((sum, c) => sum + cpuMs(c.pid!), 0);
  return ((after - before) * 1000) / N_TASKS;
}

function weft(
  name: string,
  workers: number,
  measure: (ex: DistributedExecutor, children: ChildProcess[]) => Promise<number>,
): Contender {
  let ex: DistributedExecutor | undefined;
  let children: ChildProcess[] = [];
  return {
    name,
    async setup() {
      const r = await privateRedis();
      const queue = freshQueue();
      children = await startWeftWorkers(r.url, queue, workers);
      ex = new DistributedExecutor({ connection: r.url, queue });
      await Promise.all(range(200).map((i) => ex!.submit(noop, i))); // warm both ends
    },
    measure: () => measure(ex!, children),
    async teardown() {
      await ex!.shutdown();
      await stopAll(children);
    },
  };
}

function raw(
  name: string,
  workers: number,
  measure: (b: RawBull, children: ChildProcess[]) => Promise<number>,
): Contender {
  let bull: RawBull | undefined;
  let children: ChildProcess[] = [];
  return {
    name,
    async setup() {
      const r = await privateRedis();
      const queue = freshQueue();
      children = await startRawWorkers(r.port, queue, workers);
      bull = new RawBull(r.port, queue);
      await bull.ready();
      await bull.run(range(200));
    },
    measure: () => measure(bull!, children),
    async teardown() {
      await bull!.close();
      await stopAll(children);
    },
  };
}

const burstWeft = (ex: DistributedExecutor) =>
  rate(N_TASKS, () => Promise.all(range(N_TASKS).map((i) => ex.submit(noop, i))));
const burstRaw = (b: RawBull) => rate(N_TASKS, () => b.run(range(N_TASKS)));

const allWeft = (ex: DistributedExecutor) => Promise.all(range(N_TASKS).map((i) => ex.submit(noop, i)));

export function suites(): Suite[] {
  return [
    {
      id: "distributed-worker-cpu",
      title: `worker-process CPU per task, ${N_TASKS / 1000}k tiny tasks at once, 1 worker process`,
      unit: "µs CPU/task",
      higherIsBetter: false,
      ours: "weft DistributedExecutor",
      rounds: 5,
      targets: { "raw BullMQ": 1 / 1.2 },
      contenders: [
        weft("weft DistributedExecutor", 1, (ex, children) => workerCpu(children, () => allWeft(ex))),
        raw("raw BullMQ", 1, (b, children) => workerCpu(children, () => b.run(range(N_TASKS)))),
      ],
    },
    {
      id: "distributed-throughput",
      title: `${N_TASKS / 1000}k tiny tasks submitted at once, 1 worker process (concurrency ${CONCURRENCY})`,
      unit: "tasks/s",
      higherIsBetter: true,
      ours: "weft DistributedExecutor",
      rounds: 5,
      targets: { "raw BullMQ": 1 / 1.2 },
      contenders: [weft("weft DistributedExecutor", 1, burstWeft), raw("raw BullMQ", 1, burstRaw)],
    },
    {
      id: "distributed-sequential-latency",
      title: `sequential round trip (submit, await, repeat ${N_SEQ}x), 1 worker process`,
      unit: "µs",
      higherIsBetter: false,
      ours: "weft DistributedExecutor",
      rounds: 5,
      targets: { "raw BullMQ": 1 / 1.2 },
      contenders: [
        weft("weft DistributedExecutor", 1, (ex) => perTask(N_SEQ, () => ex.submit(noop, 1))),
        raw("raw BullMQ", 1, (b) => perTask(N_SEQ, () => b.run([1]))),
      ],
    },
    {
      id: "distributed-scaling",
      title: `${N_TASKS / 1000}k tiny tasks at once with 1, 2 and 4 weft-worker processes (concurrency ${CONCURRENCY} each)`,
      unit: "tasks/s",
      higherIsBetter: true,
      ours: "weft, 4 workers",
      rounds: 3,
      contenders: [
        weft("weft, 1 worker", 1, burstWeft),
        weft("weft, 2 workers", 2, burstWeft),
        weft("weft, 4 workers", 4, burstWeft),
        raw("raw BullMQ, 4 workers", 4, burstRaw),
      ],
    },
  ];
}
