// 12.8 (across machines) The same executor and futures on many machines: DistributedExecutor on BullMQ and Redis
// When one machine is not enough, @weft/distributed keeps the API of recipe 12.8's process pool: tasks become
// jobs in a Redis queue, `weft-worker` processes (on any machine; here three on this one) run them, and
// submit() returns weft's Future. Midway the recipe kills one worker with SIGKILL: BullMQ's stall detection
// hands its jobs to the others (at-least-once execution), and every Future still settles exactly once.
// The private Redis (127.0.0.1, a free port, no data kept) is started and removed by the recipe itself.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DistributedExecutor, type DistributedFuture, moduleTask } from "@weft/distributed";
import { countPrimes } from "./tasks/12.7-primes.js";
import type { slowCount } from "./tasks/12.8-distributed-tasks.js";

const { startRedis } = (await import(
  new URL("../../../packages/distributed/scripts/local-redis.mjs", import.meta.url).href
)) as { startRedis: () => Promise<{ url: string; stop(): Promise<void> }> };

const TASKS = 36;
const WORKERS = 3;
const taskModule = new URL("./tasks/12.8-distributed-tasks.js", import.meta.url);
const slowCountTask = moduleTask<typeof slowCount>(taskModule, "slowCount");
// `npx weft-worker` runs this file: the package's bin.
const weftWorker = join(
  dirname(createRequire(import.meta.url).resolve("@weft/distributed/package.json")),
  "dist/cli.js",
);

/** Starts one weft-worker process; resolves once it serves the queue. */
function startWorker(redisUrl: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      weftWorker,
      ...["--redis", redisUrl, "--queue", "primes", "--module", taskModule.href, "--concurrency", "2"],
      // short job locks, so a dead worker's jobs are handed on within about a second (default 30 s)
      ...["--lock-duration", "1000", "--stalled-interval", "500"],
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr!.on("data", (d: Buffer) => {
      log += d.toString();
      if (log.includes("serving queue")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`weft-worker exited with ${code}: ${log}`)));
  });
}

const redis = await startRedis();
const workers: ChildProcess[] = [];
try {
  for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(redis.url));
  console.log(`${WORKERS} weft-worker processes serve the queue "primes" (2 jobs at a time each)`);

  await using ex = new DistributedExecutor({ connection: redis.url, queue: "primes" });
  const settled = new Array<number>(TASKS).fill(0);
  const futures: DistributedFuture<Awaited<ReturnType<typeof slowCount>>>[] = [];
  for (let i = 0; i < TASKS; i++) {
    const f = ex.submit(slowCountTask, i * 20_000, (i + 1) * 20_000, 150);
    f.addDoneCallback(() => settled[i]!++); // Python's add_done_callback
    futures.push(f);
  }
  console.log(`submitted ${TASKS} tasks; the first job id is ${futures[0]!.jobId}`);

  // Kill the worker that runs the most jobs right now, once a few results are in.
  while (futures.filter((f) => f.done()).length < 8) await new Promise((r) => setTimeout(r, 20));
  const victim = workers[1]!;
  victim.kill("SIGKILL");
  console.log(`killed worker pid ${victim.pid} with SIGKILL mid-run`);

  const results = await Promise.all(futures);
  const expected = results.map((_, i) => countPrimes(i * 20_000, (i + 1) * 20_000));
  console.log(
    `all ${TASKS} futures resolved; every count right: ${results.every((r, i) => r.count === expected[i])}`,
  );
  console.log(`each future settled exactly once: ${settled.every((n) => n === 1)}`);
  console.log(`primes below ${TASKS * 20_000}: ${results.reduce((sum, r) => sum + r.count, 0)}`);
  for (const w of workers) {
    const ran = results.filter((r) => r.pid === w.pid).length;
    console.log(
      `worker pid ${w.pid}: ${ran} results${w === victim ? " delivered before it was killed" : ""}`,
    );
  }
  const again = results.filter((r) => r.attempt > 1).length;
  console.log(`jobs run a second time after the kill (at-least-once): ${again}`);
} finally {
  for (const w of workers) w.kill("SIGTERM");
  await Promise.all(
    workers.map((w) =>
      w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once("exit", r)) : null,
    ),
  );
  await redis.stop();
  console.log("stopped the workers and the private Redis");
}
