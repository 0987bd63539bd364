// 12.7 Creating a thread pool
// Python's ThreadPoolExecutor runs fetch_url() in pool threads and hands back Futures: submit() returns at
// once, result() gives the return value. weft's ThreadPoolExecutor is the same API over worker threads.
// Python pools threads for I/O only (the GIL serialises CPU work); in Node each worker is a thread with its
// own event loop, so the second half shows the same pool making CPU-bound work faster too.
import { once } from "node:events";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import { asCompleted, FIRST_COMPLETED, moduleTask, ThreadPoolExecutor, wait } from "@weft/pool";
import type { fetchUrl } from "./tasks/12.7-fetch-url.js";
import type { crunch, longJob, workerId } from "./tasks/12.7-long-job.js";
import type { countPrimes } from "./tasks/12.7-primes.js";

// Local stand-ins for www.python.org and www.pypy.org: one HTTP server on 127.0.0.1, a page per path,
// each answered after a short delay (like a real network).
const pages: Record<string, string> = {
  "/python": "<html><title>Welcome to Python.org</title></html>",
  "/pypy": "<html><title>PyPy</title></html>",
  "/slow": "<html><title>A slow site</title></html>",
};
const server = createServer((req, res) => {
  const body = pages[req.url ?? ""];
  setTimeout(
    () => {
      res.writeHead(body ? 200 : 404, { "content-type": "text/html" });
      res.end(body ?? "not found");
    },
    req.url === "/slow" ? 300 : 30,
  );
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

// Typed module targets: submit() checks the arguments and types the result from the exported function.
const fetchTask = moduleTask<typeof fetchUrl>(
  new URL("./tasks/12.7-fetch-url.js", import.meta.url),
  "fetchUrl",
);
const primesTask = moduleTask<typeof countPrimes>(
  new URL("./tasks/12.7-primes.js", import.meta.url),
  "countPrimes",
);
const longJobModule = new URL("./tasks/12.7-long-job.js", import.meta.url);
const longJobTask = moduleTask<typeof longJob>(longJobModule, "longJob");
const workerIdTask = moduleTask<typeof workerId>(longJobModule, "workerId");
const crunchTask = moduleTask<typeof crunch>(longJobModule, "crunch");

{
  // pool = ThreadPoolExecutor(10); `await using` shuts it down (and waits) at the end of the block.
  await using pool = new ThreadPoolExecutor({ maxWorkers: 10 });

  // Submit work to the pool
  const a = pool.submit(fetchTask, `${base}/python`);
  const b = pool.submit(fetchTask, `${base}/pypy`);
  console.log(`submitted two fetches; a.done() = ${a.done()}`);

  // Get the results back
  const x = await a.result();
  const y = await b.result();
  console.log(`a.result() -> ${x.length} bytes: ${x.match(/<title>(.*)<\/title>/)?.[1]}`);
  console.log(`b.result() -> ${y.length} bytes: ${y.match(/<title>(.*)<\/title>/)?.[1]}`);

  // The rest of concurrent.futures: callbacks, as_completed, wait, map.
  const slow = pool.submit(fetchTask, `${base}/slow`);
  slow.addDoneCallback((f) => console.log(`callback: /slow done (cancelled: ${f.cancelled()})`));
  const missing = pool.submit(fetchTask, `${base}/missing`);
  const fast = pool.submit(fetchTask, `${base}/pypy`);
  const { done } = await wait([slow, missing, fast], { returnWhen: FIRST_COMPLETED });
  console.log(`wait(FIRST_COMPLETED): ${done.size} done, /slow still running: ${!slow.done()}`);
  // as_completed yields each future as it finishes; `await f` gives its result or throws its error.
  for await (const f of asCompleted([slow, missing, fast])) {
    try {
      const body = await f;
      console.log(`as_completed: ok, ${body.match(/<title>(.*)<\/title>/)?.[1]}`);
    } catch (err) {
      console.log(`as_completed: error, ${(err as Error).message.replace(base, "")}`);
    }
  }
  const sizes: number[] = [];
  for await (const body of pool.map(
    fetchTask,
    ["/python", "/pypy", "/python"].map((p) => base + p),
  )) {
    sizes.push(body.length);
  }
  console.log(`map (results in input order): ${sizes.join(", ")} bytes`);
}
server.close();

// A long task stopping cleanly on abort. Python cannot cancel a future that runs; JavaScript cannot be
// interrupted either, so the pool asks: the running task's currentTask().signal aborts, the task checks it
// between steps and ends, and its worker stays (a task that ignored it would have its worker stopped after
// killAfter ms). A synchronous loop checks currentTask().stopRequested instead.
{
  await using pool = new ThreadPoolExecutor({ maxWorkers: 1, killAfter: 5000 });
  const worker = await pool.submit(workerIdTask);
  const progress = new Int32Array(new SharedArrayBuffer(4));
  const cancel = new AbortController();
  const job = pool.submitWith({ signal: cancel.signal }, longJobTask, 10_000, progress);
  while (Atomics.load(progress, 0) < 5) await new Promise((resolve) => setTimeout(resolve, 5));
  cancel.abort(new Error("the user pressed Cancel"));
  const err = (await job.exception()) as Error;
  console.log(`long job stopped cleanly after ${progress[0]} of 10000 steps: ${err.message}`);
  console.log(`the next task ran on the same worker: ${(await pool.submit(workerIdTask)) === worker}`);

  // A synchronous, CPU-bound loop never lets its event loop turn, so it never sees an abort event; it polls
  // currentTask().stopRequested, which the pool sets in shared memory as it asks.
  Atomics.store(progress, 0, 0);
  const stop = new AbortController();
  const crunching = pool.submitWith({ signal: stop.signal }, crunchTask, 1_000_000, progress);
  while (Atomics.load(progress, 0) < 5) await new Promise((resolve) => setTimeout(resolve, 5));
  stop.abort(new Error("the user pressed Cancel"));
  const { done, stopped } = await crunching;
  console.log(`sync loop stopped when asked: ${stopped}, after ${done} of 1000000 steps`);
  console.log(`and the next task ran on the same worker: ${(await pool.submit(workerIdTask)) === worker}`);
}

// CPU-bound: count the primes below 2,000,000 in 32 slices, on 1 worker and then on all cores.
async function timePrimes(workers: number): Promise<[number, number]> {
  await using pool = new ThreadPoolExecutor({ maxWorkers: workers, minWorkers: workers });
  await Promise.all(Array.from({ length: workers }, () => pool.submit(primesTask, 0, 10))); // start the workers
  const t0 = performance.now();
  const slices = Array.from({ length: 32 }, (_, i) => pool.submit(primesTask, i * 62_500, (i + 1) * 62_500));
  const total = (await Promise.all(slices)).reduce((s, n) => s + n, 0);
  return [total, performance.now() - t0];
}
const cores = Math.min(availableParallelism(), 4);
const [primes, oneMs] = await timePrimes(1);
const [same, manyMs] = await timePrimes(cores);
console.log(`primes below 2,000,000: ${primes} (same on ${cores} workers: ${same === primes})`);
// A ratio of timings on a machine that may be busy, printed with what it means (never "Nx faster", which a
// slow run can contradict); with no GIL each worker thread runs JavaScript in parallel.
console.log(
  `1 worker ${oneMs.toFixed(0)} ms, ${cores} workers ${manyMs.toFixed(0)} ms: time on ${cores} / time on 1: ` +
    `${(manyMs / oneMs).toFixed(2)} (below 1: the workers ran in parallel)`,
);
