// Worker thread entry (built to dist/pool-worker.js, exported as "@weft/pool/worker"): serves the tasks of one ThreadPoolExecutor worker.
import { parentPort, type TransferListItem, workerData } from "node:worker_threads";
import { ReservedPortError } from "./errors.js";
import { LoadCounter } from "./load-counter.js";
import { HeaderEnds, WORKER_END } from "./task-headers.js";
import { serveTasks } from "./task-server.js";
import type { ThreadWorkerData } from "./thread-transport.js";
import { nameWorkerThread } from "./worker-interop.js";

const port = parentPort;
if (port === null) throw new Error("@weft/pool's worker entry must be started as a worker thread");
const { init, headers, loads, name } = workerData as ThreadWorkerData;
// currentThread().name in a task: the pool's prefix and this worker's index, as Python's "SpecialPool_0".
nameWorkerThread(name);
const ends = new HeaderEnds(headers, WORKER_END);
const loadCounter = new LoadCounter(loads);

// parentPort carries the pool's messages, each matched with its header in shared memory: a message posted
// by a task would be taken for the pool's next one. Tasks get a clear error instead.
const postMessage = port.postMessage.bind(port);
port.postMessage = (): never => {
  throw new ReservedPortError(
    "parentPort is reserved for the pool's own messages in a ThreadPoolExecutor worker: return a value " +
      "from the task instead, or pass the task a MessagePort of your own (in the transfer list)",
  );
};
const post = (value: unknown, transfer: readonly unknown[] | undefined): void =>
  postMessage(value, transfer as TransferListItem[] | undefined);

void serveTasks(init, {
  post: (message, transfer) => ends.out.post(message, transfer, post),
  listen: (handler) => port.on("message", (received: unknown) => handler(ends.in.read(received))),
  onExit: (flush) => process.on("exit", flush),
  guardLoad: (load) => loadCounter.run(load),
});
