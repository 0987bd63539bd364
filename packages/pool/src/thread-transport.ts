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
  /** undefined: inherit the parent's execArgv (Node then ignores what a worker cannot take). */
  #execArgv: string[] | undefined = process.execArgv.some((a) => MAIN_ONLY.test(a))
    ? process.execArgv.filter((a) => !MAIN_ONLY.test(a))
    : undefined;

  constructor(options: ThreadTransportOptions = {}) {
    this.#options = options;
  }

  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel {
    let worker: Worker;
    try {
      worker = this.#start(init);
    } catch (err) {
      // An explicit execArgv is validated: drop the per-process flags Node names (e.g. --expose-gc), retry.
      if (
        (err as { code?: string }).code !== "ERR_WORKER_INVALID_EXEC_ARGV" ||
        this.#execArgv === undefined
      ) {
        throw err;
      }
      const named = String((err as Error).message)
        .split(": ")
        .pop()!
        .split(", ");
      this.#execArgv = this.#execArgv.filter((a) => !named.includes(a));
      worker = this.#start(init);
    }
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

  #start(init: WorkerInit): Worker {
    return new Worker(this.#entry, {
      workerData: init,
      name: `${this.#options.name ?? "weft-pool"}-${init.id}`,
      ...(this.#execArgv === undefined ? {} : { execArgv: this.#execArgv }),
      ...(this.#options.resourceLimits ? { resourceLimits: this.#options.resourceLimits } : {}),
    });
  }
}
