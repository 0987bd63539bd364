// Raw worker_threads baseline: echoes each ArrayBuffer back, moved both ways.
import { parentPort } from "node:worker_threads";

parentPort.on("message", (buf) => parentPort.postMessage(buf, [buf]));
