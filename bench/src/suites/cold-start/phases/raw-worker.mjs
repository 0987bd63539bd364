import { parentPort } from "node:worker_threads";
import { mark } from "./mark.mjs";

mark("entry-start");
parentPort.on("message", (x) => parentPort.postMessage(x + 1));
