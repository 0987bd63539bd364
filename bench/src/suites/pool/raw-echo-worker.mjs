// Raw worker_threads baseline: reports its kernel thread id once (so a suite can pin it to a CPU), then
// echoes each ArrayBuffer back, moved both ways.
import { parentPort } from "node:worker_threads";
import { threadId } from "./tasks.mjs";

parentPort.postMessage(threadId(0));
parentPort.on("message", (buf) => parentPort.postMessage(buf, [buf]));
