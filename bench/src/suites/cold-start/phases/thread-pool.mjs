import { mark } from "./mark.mjs";

mark("start");
const { ThreadPoolExecutor, moduleTask } = await import("@weft/pool");
mark("imported");
const pool = new ThreadPoolExecutor({
  maxWorkers: 1,
  workerEntry: new URL("./pool-worker-entry.mjs", import.meta.url),
});
mark("created");
await pool.submit(moduleTask(new URL("../tasks.mjs", import.meta.url), "inc"), 1);
mark("result");
await pool.shutdown();
