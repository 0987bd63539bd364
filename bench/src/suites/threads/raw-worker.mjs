// The hand-written baseline: a worker that posts its workerData back and ends.
import { parentPort, workerData } from "node:worker_threads";

parentPort.postMessage(workerData);
