import { parentPort } from "node:worker_threads";
import { inc } from "./tasks.mjs";

parentPort.on("message", (x) => parentPort.postMessage(inc(x)));
