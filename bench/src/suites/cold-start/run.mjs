// One cold start: `node run.mjs <contender>`. Prints the ms from this line to the first task's result, then
// shuts down (untimed). Libraries are imported inside the timed span: loading them is part of a cold start.
import { performance } from "node:perf_hooks";

const t0 = performance.now();
const here = (file) => new URL(file, import.meta.url);
const done = (value) => {
  const ms = performance.now() - t0;
  if (value !== 2) throw new Error(`wrong result ${value}`);
  console.log(ms.toFixed(3));
};

const contenders = {
  async "raw worker_threads"() {
    const { Worker } = await import("node:worker_threads");
    const worker = new Worker(here("./echo-worker.mjs"));
    worker.postMessage(1);
    done(await new Promise((resolve) => worker.once("message", resolve)));
    await worker.terminate();
  },
  async "weft thread pool"() {
    const { moduleTask, ThreadPoolExecutor } = await import("@weft/pool");
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    done(await pool.submit(moduleTask(here("./tasks.mjs"), "inc"), 1));
    await pool.shutdown();
  },
  async "weft thread pool, inline function"() {
    const { ThreadPoolExecutor } = await import("@weft/pool");
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    done(await pool.submit((x) => x + 1, 1));
    await pool.shutdown();
  },
  async piscina() {
    const { Piscina } = await import("piscina");
    const pool = new Piscina({ filename: here("./piscina-task.mjs").href, maxThreads: 1 });
    done(await pool.run(1));
    await pool.destroy();
  },
  async tinypool() {
    const { default: Tinypool } = await import("tinypool");
    const pool = new Tinypool({ filename: here("./piscina-task.mjs").href, maxThreads: 1 });
    done(await pool.run(1));
    await pool.destroy();
  },
  async "workerpool threads"() {
    const { default: workerpool } = await import("workerpool");
    const pool = workerpool.pool(new URL("./workerpool-task.mjs", import.meta.url).pathname, {
      maxWorkers: 1,
      workerType: "thread",
    });
    done(await pool.exec("inc", [1]));
    await pool.terminate();
  },
  async "poolifier threads"() {
    const { FixedThreadPool } = await import("poolifier");
    const pool = new FixedThreadPool(1, new URL("./poolifier-thread-task.mjs", import.meta.url).pathname);
    done(await pool.execute(1));
    await pool.destroy();
  },
  async "raw child_process.fork"() {
    const { fork } = await import("node:child_process");
    const child = fork(here("./echo-child.mjs"));
    child.send(1);
    done(await new Promise((resolve) => child.once("message", resolve)));
    child.kill();
  },
  async "weft process pool"() {
    const { moduleTask, ProcessPoolExecutor } = await import("@weft/process-pool");
    const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    done(await pool.submit(moduleTask(here("./tasks.mjs"), "inc"), 1));
    await pool.shutdown();
  },
  async "weft process pool, inline function"() {
    const { ProcessPoolExecutor } = await import("@weft/process-pool");
    const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    done(await pool.submit((x) => x + 1, 1));
    await pool.shutdown();
  },
  async "poolifier cluster"() {
    const { FixedClusterPool } = await import("poolifier");
    const pool = new FixedClusterPool(1, new URL("./poolifier-cluster-task.cjs", import.meta.url).pathname);
    done(await pool.execute(1));
    await pool.destroy();
  },
  async "workerpool processes"() {
    const { default: workerpool } = await import("workerpool");
    const pool = workerpool.pool(new URL("./workerpool-task.mjs", import.meta.url).pathname, {
      maxWorkers: 1,
      workerType: "process",
    });
    done(await pool.exec("inc", [1]));
    await pool.terminate();
  },
  async "tinypool child_process"() {
    const { default: Tinypool } = await import("tinypool");
    const pool = new Tinypool({
      filename: here("./piscina-task.mjs").href,
      maxThreads: 1,
      runtime: "child_process",
      // Without `env`, tinypool starts its children with an environment of its own variable alone: no PATH, no
      // NODE_OPTIONS, no NODE_EXTRA_CA_CERTS. Every other contender's child inherits this process's
      // environment, which is what programs expect (and what Node's own start-up reads: NODE_EXTRA_CA_CERTS
      // alone costs ~30 ms per process here), so tinypool gets the same.
      env: process.env,
    });
    done(await pool.run(1));
    await pool.destroy();
  },
};

const name = process.argv[2];
const contender = contenders[name];
if (contender === undefined)
  throw new Error(`unknown contender ${name}; one of: ${Object.keys(contenders).join(", ")}`);
await contender();
