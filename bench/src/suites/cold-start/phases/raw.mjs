// The hand-written equivalents, marked like weft's: a worker thread or a forked child that answers one message.
import { mark } from "./mark.mjs";

mark("start");
if (process.argv[2] === "thread") {
  const { Worker } = await import("node:worker_threads");
  mark("imported");
  const worker = new Worker(new URL("./raw-worker.mjs", import.meta.url));
  mark("created");
  worker.postMessage(1);
  await new Promise((resolve) => worker.once("message", resolve));
  mark("result");
  await worker.terminate();
} else {
  const { fork } = await import("node:child_process");
  mark("imported");
  const child = fork(new URL("./raw-child.mjs", import.meta.url));
  mark("created");
  child.send(1);
  await new Promise((resolve) => child.once("message", resolve));
  mark("result");
  child.kill();
}
