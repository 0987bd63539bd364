import type { Executor } from "@weft/pool";
// The shared suite lives with @weft/pool's tests (tsconfig.json includes that folder).
import { describeExecutorContract } from "../../pool/test/conformance/executor-contract.js";
import { ExecutorWithWorkers, freshQueue, redisUrl, startWorker } from "./helpers.js";

// Each executor gets its own queue and one weft-worker process with `maxWorkers` concurrency. The suite's
// tasks are self-contained functions, so this worker allows function source (never the default).
describeExecutorContract("DistributedExecutor", ({ maxWorkers }) => {
  const queue = freshQueue("contract");
  const workers = startWorker(queue, ["--concurrency", String(maxWorkers), "--allow-function-source"]);
  workers.catch(() => {});
  // DistributedExecutor has the Executor interface but is not the pools' Executor class (whose core is
  // shared memory), so the suite's type needs a cast.
  return new ExecutorWithWorkers(
    { connection: redisUrl(), queue },
    workers.then((w) => [w]),
  ) as unknown as Executor;
});
