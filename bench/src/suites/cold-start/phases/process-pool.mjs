import { mark } from "./mark.mjs";

mark("start");
const { ProcessPoolExecutor, moduleTask } = await import("@weft/process-pool");
mark("imported");
const pool = new ProcessPoolExecutor({
  maxWorkers: 1,
  sharedSlots: process.argv[2] !== "no-shared-slots",
  workerEntry: new URL("./process-child-entry.mjs", import.meta.url),
});
mark("created");
await pool.submit(moduleTask(new URL("../tasks.mjs", import.meta.url), "inc"), 1);
mark("result");
await pool.shutdown();
