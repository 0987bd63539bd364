// builtin-imports: keep (webpack emits `new Worker(new URL(...))` only for a Worker from worker_threads)
import { type ResourceLimits, type TransferListItem, Worker, type WorkerOptions } from "node:worker_threads";
import { watchWorker } from "@weft/sync/extension";
import { locateWorkerEntry, reportWorkerFailure, startWorker, type WorkerEntrySpec } from "./interop.js";
import { LoadCounter } from "./load-counter.js";
import { CORE_END, HeaderEnds, headerBytes } from "./task-headers.js";
import type { Transport, WorkerChannel, WorkerInit, WorkerSink } from "./transport.js";

/** What a weft worker thread gets as its workerData. */
export interface ThreadWorkerData {
  init: WorkerInit;
  /** Shared memory for the headers of the core's messages (see task-headers.ts). */
  headers: SharedArrayBuffer;
  /** Shared memory for the count of the worker's module loads in progress (see load-counter.ts). */
  loads: SharedArrayBuffer;
  /** The worker thread's name, `currentThread().name` inside its tasks (e.g. "SpecialPool_0"). */
  name: string;
}

const POOL_WORKER: WorkerEntrySpec = {
  name: "pool-worker",
  subpath: "@weft/pool/worker",
  option: "new ThreadPoolExecutor({ workerEntry })",
};
let poolWorker: string | ((options: WorkerOptions) => Worker) | undefined;

/**
 * The default pool worker entry (dist/pool-worker.js), found once. `new Worker(new URL("./pool-worker.js",
 * import.meta.url))` is written out whole because webpack 5 recognises that expression, bundles the entry and
 * rewrites the URL to the chunk it emitted.
 */
function defaultEntry(): string | ((options: WorkerOptions) => Worker) {
  if (poolWorker === undefined) {
    // Read as a property: a CommonJS bundle of this ES module leaves import.meta empty.
    const here = (import.meta as { url?: string }).url;
    const found = locateWorkerEntry(POOL_WORKER, here, true);
    poolWorker =
      found === "emitted"
        ? (options) => new Worker(new URL("./pool-worker.js", import.meta.url), options)
        : found;
  }
  return poolWorker;
}

/**
 * Node 20 (not 22 or 24) leaks a file descriptor when a worker thread is terminated while it opens a module
 * file (its entry, a module that imports, the initializer's module, a task's module): the open completes
 * after the worker is gone and nothing closes the file. So a worker's terminate() waits, for at most
 * STOP_WAIT_MS (one stuck loading for ever still stops) or until the worker exits:
 * - between its 'online' event and its first message (READY or INIT_FAILED, sent once its entry and the
 *   initializer's module are loaded), for that message (its entry's static imports cannot be counted);
 * - after that, until no module load the task server started is in progress (see load-counter.ts), polling
 *   every STOP_POLL_MS. Before 'online' it has opened nothing yet.
 */
const LEAKS_WHILE_LOADING = Number(process.versions.node.split(".")[0]) < 22;
const STOP_WAIT_MS = 2000;
const STOP_POLL_MS = 2;
const NOT_ONLINE = 0;
const LOADING = 1;
const LOADED = 2;

/**
 * One executor worker as a worker thread. A class rather than closures per worker: its methods keep one
 * shape and one set of call targets however many pools come and go (see shape-anchors.ts).
 */
class ThreadChannel implements WorkerChannel {
  readonly #worker: Worker;
  readonly #headers: HeaderEnds;
  readonly #postMessage: (value: unknown, transfer: readonly unknown[] | undefined) => void;

  readonly #name: string;
  readonly #ident: number;
  /** NOT_ONLINE, LOADING or LOADED (see LEAKS_WHILE_LOADING); LOADED from the start on later Node versions. */
  #phase = LEAKS_WHILE_LOADING ? NOT_ONLINE : LOADED;
  readonly #loads: LoadCounter;
  /** When a terminate() that waits (see LEAKS_WHILE_LOADING) goes ahead anyway; 0 before any terminate(). */
  #stopBy = 0;
  /** The next look of a terminate() that waits (see #tryStop). */
  #stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(worker: Worker, headers: HeaderEnds, loads: LoadCounter, sink: WorkerSink, name: string) {
    this.#worker = worker;
    this.#loads = loads;
    this.#name = name;
    this.#ident = worker.threadId;
    this.#headers = headers;
    this.#postMessage = (value, transfer) =>
      worker.postMessage(value, transfer as TransferListItem[] | undefined);
    if (LEAKS_WHILE_LOADING) {
      worker.once("online", this.#online);
      // Before the listener below: a terminate() its first message leads to (INIT_FAILED) is not deferred.
      worker.once("message", this.#loaded);
    }
    watchWorker(worker); // its exit ends what it holds (locks it dies holding count as abandoned)
    worker.on("message", (m: unknown) => sink.message(headers.in.read(m)));
    worker.on("error", (e) => sink.error(e));
    worker.on("exit", (code) => sink.exit(code, null));
  }

  post(message: unknown[], transfer?: TransferListItem[]): void {
    this.#headers.out.post(message, transfer, this.#postMessage);
  }

  /** Worker threads have one way to stop: terminate (the same for terminateWorkers and killWorkers). */
  terminate(): void {
    if (!LEAKS_WHILE_LOADING) {
      void this.#worker.terminate();
      return;
    }
    if (this.#stopBy !== 0) return; // a terminate() is already on its way
    this.#stopBy = performance.now() + STOP_WAIT_MS;
    this.#worker.once("exit", this.#exited);
    this.#tryStop();
  }

  /** Terminates the worker unless it is loading a module and the wait has time left; else looks again later. */
  readonly #tryStop = (): void => {
    this.#stopTimer = undefined;
    const left = this.#stopBy - performance.now();
    if (left > 0) {
      // Not unref'd: as a terminate() in progress does, the timer keeps the process alive until the worker
      // has exited (a shutdown() awaited at the end of a program resolves). An idle worker is never waited for.
      if (this.#phase === LOADING) {
        this.#stopTimer = setTimeout(this.#tryStop, left); // or its first message (see #loaded)
        return;
      }
      if (!this.#loads.tryStop()) {
        this.#stopTimer = setTimeout(this.#tryStop, Math.min(STOP_POLL_MS, left));
        return;
      }
    }
    void this.#worker.terminate();
  };

  readonly #online = (): void => {
    if (this.#phase === NOT_ONLINE) this.#phase = LOADING;
  };

  /** It sent its first message: a terminate() waiting for that looks again. */
  readonly #loaded = (): void => {
    this.#phase = LOADED;
    if (this.#stopTimer === undefined) return;
    clearTimeout(this.#stopTimer);
    this.#tryStop();
  };

  /** It exited: a terminate() waiting has nothing left to wait for. */
  readonly #exited = (): void => {
    clearTimeout(this.#stopTimer);
    this.#stopTimer = undefined;
  };

  ref(): void {
    this.#worker.ref();
  }

  unref(): void {
    this.#worker.unref();
  }

  /** An error it died of between tasks: the threads excepthook, as for a thread nobody joins. */
  reportUncaught(error: unknown): void {
    reportWorkerFailure({ name: this.#name, ident: this.#ident }, error);
  }
}

/** Options of the worker_threads transport. */
interface ThreadTransportOptions {
  /** V8 heap limits of each worker (worker_threads resourceLimits). */
  resourceLimits?: ResourceLimits;
  /** Prefix of worker thread names: `PREFIX_0`, `PREFIX_1`, ... (in tasks' currentThread(), inspectors). */
  name?: string;
  /** A checked explicit worker entry; default: this package's dist/pool-worker.js (see defaultEntry). */
  entry?: string | undefined;
}

/** Internal: runs each executor worker as a worker thread whose entry is this package's dist/pool-worker.js. */
export class ThreadTransport implements Transport {
  readonly sharedMemory = true;
  readonly #entry: string | ((options: WorkerOptions) => Worker);
  readonly #options: ThreadTransportOptions;
  constructor(options: ThreadTransportOptions = {}) {
    this.#options = options;
    // Found now, so that a pool that cannot start workers says so when it is created.
    this.#entry = options.entry ?? defaultEntry();
  }

  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel {
    // Python's naming: the prefix and the worker's index from 0 (the core numbers its workers from 1).
    const data: ThreadWorkerData = {
      init,
      headers: new SharedArrayBuffer(headerBytes(init.window)),
      loads: new SharedArrayBuffer(LoadCounter.BYTES),
      name: `${this.#options.name ?? "ThreadPoolExecutor"}_${init.id - 1}`,
    };
    const headers = new HeaderEnds(data.headers, CORE_END);
    const worker = this.#start(data);
    return new ThreadChannel(worker, headers, new LoadCounter(data.loads), sink, data.name);
  }

  #start(data: ThreadWorkerData): Worker {
    // startWorker: this process's Node options minus the main-only ones (`-e`, `--input-type`, ...).
    return startWorker(this.#entry, {
      workerData: data,
      name: data.name,
      ...(this.#options.resourceLimits ? { resourceLimits: this.#options.resourceLimits } : {}),
    });
  }
}
