// The hand-written BullMQ worker the distributed suites compare with: a Worker whose processor returns the
// job's number, as weft-worker's noop task does. argv: redis port, queue, concurrency.
import { Worker } from "bullmq";

const [port, queue, concurrency] = process.argv.slice(2);
const worker = new Worker(queue, async (job) => job.data.x, {
  connection: { host: "127.0.0.1", port: Number(port) },
  concurrency: Number(concurrency),
});
await worker.waitUntilReady();
process.send?.("ready");
process.on("SIGTERM", () => void worker.close().then(() => process.exit(0)));
