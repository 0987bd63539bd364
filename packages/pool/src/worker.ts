// Worker thread entry (built to dist/worker.js): serves the tasks of one ThreadPoolExecutor worker.
import { parentPort, workerData } from "node:worker_threads";
import { serveTasks } from "./runner.js";
import { TaskHeaderReader } from "./task-headers.js";
import type { ThreadWorkerData } from "./thread-transport.js";

const port = parentPort;
if (port === null) throw new Error("@weft/pool's worker entry must be started as a worker thread");
const { init, headers } = workerData as ThreadWorkerData;
const reader = new TaskHeaderReader(headers);
void serveTasks(init, {
  post: (message, transfer) => port.postMessage(message, transfer),
  listen: (handler) => port.on("message", (received: unknown) => handler(reader.read(received))),
  onExit: (flush) => process.on("exit", flush),
});
