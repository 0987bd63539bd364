import type { BrokenWorkerError } from "./errors.js";
import type { TargetSpec } from "./interop.js";
import type { TransferItem } from "./transfer.js";

/**
 * What a new worker is told when it starts (extension API). A transport hands it to the worker unchanged
 * (workerData for threads, a first IPC message or argv for processes); the worker passes it to
 * {@link serveTasks}.
 *
 * @example
 * ```ts
 * // in a child process entry:
 * process.once("message", (init: WorkerInit) => serveTasks(init, endpointOverIpc));
 * ```
 */
export interface WorkerInit {
  /** Ordinal of the worker within its executor, for names and logs. */
  id: number;
  /** Shared slot states (one Int32 a window slot), or null when the transport cannot share memory. */
  slots: SharedArrayBuffer | null;
  /** The per-worker in-flight window: how many tasks may be posted ahead. */
  window: number;
  /** Function run once before any task, or null. */
  initializer: TargetSpec | null;
  /** Arguments of the initializer (already marshal-encoded when `initEncoded`). */
  initArgs: unknown[];
  /** True when `initArgs` went through marshal.encode. */
  initEncoded: boolean;
}

/**
 * Where a transport reports what happens to one worker (extension API). The executor core implements it;
 * a transport calls it from its event handlers.
 *
 * @example
 * ```ts
 * child.on("message", (m) => sink.message(m));
 * child.on("exit", (code, signal) => sink.exit(code, signal));
 * ```
 */
export interface WorkerSink {
  /** A message the worker's task server posted (an array; see serveTasks). */
  message(data: unknown): void;
  /** An error the worker raised outside any task (kept as the cause of BrokenWorkerError). */
  error(err: unknown): void;
  /** The worker is gone: exit code (null if killed) and signal (processes only). Call exactly once. */
  exit(code: number | null, signal: string | null): void;
}

/**
 * One live worker as a transport exposes it (extension API).
 *
 * @example
 * ```ts
 * const channel: WorkerChannel = {
 *   post: (batch) => child.send(batch),
 *   terminate: () => child.kill(),
 *   ref: () => child.ref(),
 *   unref: () => child.unref(),
 * };
 * ```
 */
export interface WorkerChannel {
  /**
   * Sends one message (a batch array). Must serialize or copy it before returning (the core reuses the
   * array), and throw if it cannot be serialized.
   */
  post(message: unknown[], transfer?: TransferItem[]): void;
  /**
   * Stops the worker now; the transport still reports `exit` to the sink afterwards. `how` comes from
   * terminateWorkers() ("terminate": a child process gets SIGTERM) or killWorkers() ("kill": SIGKILL);
   * without it the transport picks (e.g. lets an idle child exit on its own).
   */
  terminate(how?: "terminate" | "kill"): void;
  /** Makes the worker keep the parent process alive (it has tasks). */
  ref(): void;
  /** Lets the parent process exit while this worker is idle. */
  unref(): void;
  /**
   * The worker died of `error` (what the sink's `error` got) and no task's future carries it (none was
   * running): report it where the user will see it. Optional; without it the core writes it to stderr.
   */
  reportUncaught?(error: unknown): void;
}

/**
 * How the executor core starts and talks to workers (extension API): @weft/pool implements it over
 * worker_threads, @weft/process-pool over child_process.fork. The core owns all scheduling; a transport
 * only moves messages.
 *
 * @example
 * ```ts
 * class ForkTransport implements Transport {
 *   readonly sharedMemory = false;
 *   spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel { ... }
 * }
 * ```
 */
export interface Transport {
  /**
   * True when `WorkerInit.slots` (a SharedArrayBuffer) reaches the worker as shared memory. Then the core
   * knows exactly when a posted task starts, can cancel or rebalance posted tasks that have not, and
   * retries them elsewhere if their worker dies, and a running task sees a stop request synchronously
   * (`currentTask().stopRequested`). Without it, a posted task counts as started, and a stop request is
   * seen once the worker's event loop has handled its message.
   */
  readonly sharedMemory: boolean;
  /**
   * Optional: true when values cross a process boundary (a child process), not only a thread's. The core
   * then checks task and initializer arguments for another process once, at submit (a SharedArrayBuffer
   * or a thread-only Lock throws a MarshalError naming its path), and the worker's task server should be
   * told the same (`TaskEndpoint.crossProcess`) for results.
   */
  readonly crossProcess?: boolean;
  /**
   * Optional, with `sharedMemory`: allocates a worker's slot memory (default `new SharedArrayBuffer`). A
   * process transport can return process-shared memory here (e.g. from @weft/native) and send the child a
   * description of it instead of `init.slots`; the child passes the attached buffer to serveTasks.
   */
  allocateSlots?(byteLength: number): SharedArrayBuffer;
  /** Starts a worker that runs {@link serveTasks} with `init`, reporting to `sink`. */
  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel;
  /**
   * Optional: the error that fails the tasks of a worker that died (default: a {@link BrokenWorkerError}).
   * A process transport returns its own subclass, e.g. one that names the child's pid and signal.
   */
  brokenWorkerError?(exitCode: number | null, signal: string | null, cause: unknown): BrokenWorkerError;
}
