// Worker thread entry (built to dist/worker.js): serves the tasks of one ThreadPoolExecutor worker.
import { parentPort, workerData } from "node:worker_threads";
import { serveTasks } from "./runner.js";
import type { WorkerInit } from "./transport.js";

const port = parentPort;
if (port === null) throw new Error("@weft/pool's worker entry must be started as a worker thread");
void serveTasks(workerData as WorkerInit, {
  post: (message, transfer) => port.postMessage(message, transfer),
  listen: (handler) => port.on("message", handler),
  onExit: (flush) => process.on("exit", flush),
});
