import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ResourceLimits, type TransferListItem, Worker } from "node:worker_threads";
import { CORE_END, HeaderEnds, headerBytes } from "./task-headers.js";
import type { Transport, WorkerChannel, WorkerInit, WorkerSink } from "./transport.js";

/** What a weft worker thread gets as its workerData. */
export interface ThreadWorkerData {
  init: WorkerInit;
  /** Shared memory for the headers of the core's messages (see task-headers.ts). */
  headers: SharedArrayBuffer;
}

/** dist/worker.js next to this module, in both the ESM and the CJS build. */
function workerEntry(): string {
  if (typeof __dirname === "string") return join(__dirname, "worker.js");
  return join(dirname(fileURLToPath(import.meta.url)), "worker.js");
}

/** Node options a worker must not inherit (they only make sense for the main script). */
const MAIN_ONLY = /^--(input-type|eval|print|test|watch|check)\b|^-[epc]$/;

/**
 * One executor worker as a worker thread. A class rather than closures per worker: its methods keep one
 * shape and one set of call targets however many pools come and go (see shape-anchors.ts).
 */
class ThreadChannel implements WorkerChannel {
  readonly #worker: Worker;
  readonly #headers: HeaderEnds;
  readonly #postMessage: (value: unknown, transfer: readonly unknown[] | undefined) => void;

  constructor(worker: Worker, headers: HeaderEnds, sink: WorkerSink) {
    this.#worker = worker;
    this.#headers = headers;
    this.#postMessage = (value, transfer) =>
      worker.postMessage(value, transfer as TransferListItem[] | undefined);
    worker.on("message", (m: unknown) => sink.message(headers.in.read(m)));
    worker.on("error", (e) => sink.error(e));
    worker.on("exit", (code) => sink.exit(code, null));
  }

  post(message: unknown[], transfer?: TransferListItem[]): void {
    this.#headers.out.post(message, transfer, this.#postMessage);
  }

  /** Worker threads have one way to stop: terminate (the same for terminateWorkers and killWorkers). */
  terminate(): void {
    void this.#worker.terminate();
  }

  ref(): void {
    this.#worker.ref();
  }

  unref(): void {
    this.#worker.unref();
  }
}

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
    const data: ThreadWorkerData = { init, headers: new SharedArrayBuffer(headerBytes(init.window)) };
    const headers = new HeaderEnds(data.headers, CORE_END);
    let worker: Worker;
    try {
      worker = this.#start(data);
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
      worker = this.#start(data);
    }
    return new ThreadChannel(worker, headers, sink);
  }

  #start(data: ThreadWorkerData): Worker {
    return new Worker(this.#entry, {
      workerData: data,
      name: `${this.#options.name ?? "weft-pool"}-${data.init.id}`,
      ...(this.#execArgv === undefined ? {} : { execArgv: this.#execArgv }),
      ...(this.#options.resourceLimits ? { resourceLimits: this.#options.resourceLimits } : {}),
    });
  }
}
