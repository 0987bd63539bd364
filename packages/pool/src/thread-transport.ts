import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import type { Transport, WorkerChannel, WorkerInit, WorkerSink } from "./transport.js";

/** dist/worker.js next to this module, in both the ESM and the CJS build. */
function workerEntry(): string {
  if (typeof __dirname === "string") return join(__dirname, "worker.js");
  return join(dirname(fileURLToPath(import.meta.url)), "worker.js");
}

/** Node options a worker must not inherit (they only make sense for the main script). */
const MAIN_ONLY = /^--(input-type|eval|print|test|watch|check)\b|^-[epc]$/;

/** Options of the worker_threads transport. */
export interface ThreadTransportOptions {
  /** V8 heap limits of each worker (worker_threads resourceLimits). */
  resourceLimits?: ResourceLimits;
  /** Prefix of worker thread names (shown in inspectors and heap snapshots). */
  name?: string;
}

/** Internal: runs each executor worker as a worker thread whose entry is this package's dist/worker.js. */
export class ThreadTransport implements Transport {
  readonly sharedMemory = true;
  readonly #entry = workerEntry();
  readonly #options: ThreadTransportOptions;

  constructor(options: ThreadTransportOptions = {}) {
    this.#options = options;
  }

  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel {
    const worker = new Worker(this.#entry, {
      workerData: init,
      execArgv: process.execArgv.filter((a) => !MAIN_ONLY.test(a)),
      name: `${this.#options.name ?? "weft-pool"}-${init.id}`,
      ...(this.#options.resourceLimits ? { resourceLimits: this.#options.resourceLimits } : {}),
    });
    worker.on("message", (m) => sink.message(m));
    worker.on("error", (e) => sink.error(e));
    worker.on("exit", (code) => sink.exit(code, null));
    return {
      post: (message, transfer) => worker.postMessage(message, transfer),
      terminate: () => void worker.terminate(),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
    };
  }
}
