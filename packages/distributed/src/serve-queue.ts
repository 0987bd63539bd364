// The worker side: a BullMQ Worker that serves a queue of DistributedExecutor jobs, running each call of
// an allowed target in this process (or in a weft thread or process pool), with an AbortSignal that the
// producer can abort from any machine, and sending back the encoded outcome.
import { CancelledError, type Executor, PoolOptionError, TaskTimeoutError } from "@weft/pool";
import { checkOptions } from "@weft/pool/extension";
import { checkTimeout } from "@weft/sync/extension";
import { type Job, Worker } from "bullmq";
import { Redis } from "ioredis";
import { Allowlist, type TaskAllowlist } from "./allowlist.js";
import { decodeValue, encodeOutcome } from "./codec.js";
import {
  clientName,
  closeClient,
  describeConnectionFailure,
  endClientsOf,
  type RedisConnection,
  resolveConnection,
  TimedOut,
  whenReady,
  whileConnected,
  withinTimeout,
} from "./connection.js";
import { RedisConnectionError } from "./errors.js";
import { type JobInfo, runAsJob } from "./job-context.js";
import { integerOption, nameOption } from "./options.js";
import type { WireTarget } from "./target.js";
import { cancelChannel, type JobData, WIRE_VERSION } from "./wire.js";

/**
 * Options of {@link serveQueue}.
 *
 * @example
 * ```ts
 * const options: ServeQueueOptions = {
 *   connection: process.env.REDIS_URL!, queue: "images", concurrency: 4,
 *   tasks: [new URL("./tasks.js", import.meta.url)],
 * };
 * ```
 */
export interface ServeQueueOptions {
  /** Where Redis is (a URL or ioredis options, each key checked; credentials and TLS go to the client as given). Required. */
  connection: RedisConnection;
  /** The queue to serve. Required. */
  queue: string;
  /** The module tasks this worker runs (an allowlist); jobs naming another module are refused. */
  tasks?: TaskAllowlist;
  /** Jobs run at once by this worker (default 1). */
  concurrency?: number;
  /**
   * Run functions whose source arrives in jobs (default false). This is remote code execution for anyone
   * who can write to the queue: enable it only on a Redis that nothing untrusted can reach.
   */
  allowFunctionSource?: boolean;
  /**
   * A weft executor (ThreadPoolExecutor, ProcessPoolExecutor) to run the calls in, for CPU-bound tasks that
   * would otherwise block this worker's event loop (and with it the lock renewal BullMQ needs). Default:
   * calls run in this process. The caller owns it (shut it down after closing the server).
   */
  executor?: Executor;
  /** BullMQ's key prefix (default "bull"); the same as the executors'. */
  prefix?: string;
  /** ms a job's lock lasts before it must be renewed (default 30 000); a dead worker's job is retried after it. */
  lockDuration?: number;
  /** ms between checks for stalled jobs (default 30 000). */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) and be run again before it fails (default 1). */
  maxStalledCount?: number;
  /** Largest encoded result in bytes (default 8 MiB); a larger one fails the call with MarshalError. */
  maxPayloadBytes?: number;
  /** ms to wait for Redis at start (default 10 000); then serveQueue rejects with RedisConnectionError. */
  connectTimeout?: number;
  /** Called with each RedisConnectionError while Redis is unreachable (default: one line on stderr per outage). */
  onError?: (error: Error) => void;
}

const SERVE_KEYS = new Set(
  Object.keys({
    connection: true,
    queue: true,
    tasks: true,
    concurrency: true,
    allowFunctionSource: true,
    executor: true,
    prefix: true,
    lockDuration: true,
    stalledInterval: true,
    maxStalledCount: true,
    maxPayloadBytes: true,
    connectTimeout: true,
    onError: true,
  } satisfies Record<keyof ServeQueueOptions, true>),
);

/** How long a cancel request for a job this worker does not (yet) run is remembered, in ms. */
const EARLY_CANCEL_MS = 60_000;

/**
 * A running queue worker, returned by {@link serveQueue}. `close()` stops taking jobs and waits for the
 * running ones (`force` aborts them; BullMQ then runs them again elsewhere after their lock expires).
 *
 * @example
 * ```ts
 * await using server = await serveQueue({ connection, queue: "images", tasks });
 * process.once("SIGTERM", () => void server.close());
 * await server.closed;
 * ```
 */
export class QueueServer implements AsyncDisposable {
  readonly #worker: Worker;
  readonly #subscriber: Redis;
  readonly #allowlist: Allowlist;
  readonly #executor: Executor | undefined;
  readonly #maxBytes: number;
  readonly #early = new Map<string, number>();
  #active = 0;
  /** Waiting for #active to be 0. */
  readonly #idlers: (() => void)[] = [];
  #completed = 0;
  #closing: Promise<void> | undefined;
  /** close({ force: true }) was asked (first, or while a graceful close was under way). */
  #forced = false;
  #resolveClosed!: () => void;
  /** Resolves once the server is closed. */
  readonly closed: Promise<void> = new Promise((resolve) => {
    this.#resolveClosed = resolve;
  });

  /** @internal */
  constructor(
    worker: Worker,
    subscriber: Redis,
    allowlist: Allowlist,
    executor: Executor | undefined,
    maxBytes: number,
  ) {
    this.#worker = worker;
    this.#subscriber = subscriber;
    this.#allowlist = allowlist;
    this.#executor = executor;
    this.#maxBytes = maxBytes;
  }

  /** Jobs running now, and jobs finished since the start. */
  get stats(): { running: number; completed: number } {
    return { running: this.#active, completed: this.#completed };
  }

  /** The module URLs this worker serves. */
  get modules(): string[] {
    return this.#allowlist.modules;
  }

  /**
   * Stops taking jobs; waits for the running ones to finish (`force`: aborts their signals and does not
   * wait; BullMQ runs them again elsewhere once their lock expires). Closes the connections. A second call
   * returns the same promise; a forced one while a graceful close waits makes it forced (a second Ctrl-C).
   * Bad options (not an object, an unknown key, a `force` that is not a boolean) reject with PoolOptionError
   * and leave the server open.
   *
   * @example
   * ```ts
   * await server.close();
   * ```
   */
  close(options: { force?: boolean } = {}): Promise<void> {
    try {
      checkOptions("QueueServer.close options", options, CLOSE_KEYS);
      const { force } = options;
      if (force !== undefined && typeof force !== "boolean") {
        throw new PoolOptionError(
          `QueueServer.close options: force must be true or false, got ${String(force)}`,
        );
      }
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#closing !== undefined) {
      // A forced close asked while a graceful one waits for the running jobs: end them now (Ctrl-C twice).
      if (options.force === true && !this.#forced) void this.#escalate();
      return this.#closing;
    }
    this.#forced = options.force === true;
    this.#closing = (async () => {
      const force = this.#forced;
      if (force) this.#worker.cancelAllJobs(closingReason() as never);
      // BullMQ's close needs Redis (its connections quit) and, while Redis is away, waits for it to come back,
      // for ever if it does not. So it is awaited only while Redis answers; after that, once this server's own
      // jobs have ended (unless force), BullMQ's clients end here, whatever their state (closeClient), which
      // lets its close finish (after a forced close, it also clears the 2 s timers of their disconnect()). A
      // job that ends meanwhile cannot be reported: BullMQ runs it again.
      const closing = this.#worker.close(force);
      await whileConnected(closing, [this.#subscriber]);
      if (this.#subscriber.status !== "ready") {
        if (!force) await this.#idle();
        await endClientsOf(this.#worker);
        await closing;
        await endClientsOf(this.#worker); // for the timers of the disconnect() BullMQ's close did meanwhile
      }
      closeClient(this.#subscriber);
      this.#resolveClosed();
    })();
    return this.#closing;
  }

  /**
   * Turns a graceful close under way into a forced one. BullMQ's close cannot be forced once begun, so its
   * clients end first (the aborted jobs' failures cannot be recorded then: BullMQ runs them again elsewhere
   * once their lock expires, as after a forced close), then the running jobs' signals abort; the graceful
   * close, which waited for those jobs, then finishes.
   */
  async #escalate(): Promise<void> {
    this.#forced = true;
    await endClientsOf(this.#worker);
    this.#worker.cancelAllJobs(closingReason() as never);
  }

  /** Resolves when no job of this server runs. */
  #idle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idlers.push(resolve));
  }

  /** `await using server = await serveQueue(...)`: closes it (waiting for running jobs) at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal A producer asked to abort `jobId`. */
  onCancel(jobId: string): void {
    // CancelledError, as a pool's running task asked to stop by shutdown({ cancelFutures: true }) sees: a task
    // that ends with its signal's reason fails its future with the same class in every executor.
    const reason = cancelledByExecutor();
    // BullMQ's worker-side cancellation aborts the signal it gave the job's processor.
    if (this.#worker.cancelJob(jobId, reason as never)) return;
    const now = Date.now();
    for (const [id, at] of this.#early) if (now - at > EARLY_CANCEL_MS) this.#early.delete(id);
    this.#early.set(jobId, now); // not started here (yet): if it does start here, it is not run
  }

  /** @internal BullMQ's processor: runs the job's call(s), returns the encoded outcome(s). */
  async process(job: Job, bullSignal: AbortSignal | undefined): Promise<string | string[]> {
    const data = job.data as JobData;
    const id = job.id!;
    if (data?.v !== WIRE_VERSION || typeof data.t !== "object") {
      throw new Error(
        `job ${id} is not a @weft/distributed job of wire version ${WIRE_VERSION}; serve it elsewhere`,
      );
    }
    const timeout = data.to ?? 0;
    // The job's signal is BullMQ's; a timeout needs a controller of its own that also follows BullMQ's.
    let controller: AbortController | undefined;
    let signal = bullSignal;
    if (timeout > 0 || signal === undefined) {
      const own = new AbortController();
      controller = own;
      if (bullSignal !== undefined) {
        if (bullSignal.aborted) own.abort(bullSignal.reason);
        else bullSignal.addEventListener("abort", () => own.abort(bullSignal.reason), { once: true });
      }
      signal = own.signal;
    }
    if (this.#early.size > 0 && this.#early.delete(id)) {
      return encodeOutcome(false, cancelledByExecutor(), this.#maxBytes);
    }
    const info: JobInfo = { id, attempt: job.attemptsStarted || job.attemptsMade + 1, signal: signal! };
    this.#active++;
    try {
      if (data.c !== undefined) {
        const calls = JSON.parse(data.c) as string[];
        const outcomes: string[] = [];
        for (const args of calls) {
          const [ok, value] = await this.#call(data.t, args, timeout, info, controller);
          outcomes.push(encodeOutcome(ok, value, this.#maxBytes));
        }
        return outcomes;
      }
      const [ok, value] = await this.#call(data.t, data.a!, timeout, info, controller);
      if (!ok && job.attemptsMade + 1 < (job.opts.attempts ?? 1) && !info.signal.aborted) {
        throw value instanceof Error ? value : new Error(String(value)); // BullMQ retries it
      }
      return encodeOutcome(ok, value, this.#maxBytes);
    } finally {
      this.#active--;
      this.#completed++;
      if (this.#active === 0) for (const resolve of this.#idlers.splice(0)) resolve();
    }
  }

  async #call(
    target: WireTarget,
    encodedArgs: string,
    timeout: number,
    job: JobInfo,
    controller: AbortController | undefined,
  ): Promise<[boolean, unknown]> {
    try {
      const args = decodeValue<unknown[]>(encodedArgs, "args");
      const { fn, module } = this.#allowlist.resolve(target);
      if (job.signal.aborted) return [false, job.signal.reason];
      if (this.#executor !== undefined) {
        const options = timeout > 0 ? { signal: job.signal, timeout } : { signal: job.signal };
        const submit = this.#executor.submitWith as (
          o: object,
          t: unknown,
          ...a: unknown[]
        ) => PromiseLike<unknown>;
        return [true, await submit.call(this.#executor, options, module ?? fn, ...args)];
      }
      return [true, await runInline(fn, args, timeout, job, controller)];
    } catch (err) {
      return [false, err];
    }
  }
}

/** Runs a call in this process as the job's task; past `timeout` ms it fails with TaskTimeoutError (and its signal aborts). */
function runInline(
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
  timeout: number,
  job: JobInfo,
  controller: AbortController | undefined,
): Promise<unknown> {
  const run = runAsJob(job, () => {
    try {
      return Promise.resolve(fn(...args));
    } catch (err) {
      return Promise.reject(err);
    }
  });
  if (timeout <= 0) return run;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const err = new TaskTimeoutError(timeout);
      reject(err);
      controller?.abort(err);
    }, timeout);
    run.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Serves a queue of {@link DistributedExecutor} jobs from this process: runs the calls of every job whose
 * target it allows (the modules in `tasks`; function source only with `allowFunctionSource`), `concurrency`
 * at a time, in this process or in `executor`. Resolves once connected; rejects with RedisConnectionError if
 * Redis cannot be reached within `connectTimeout`, or with TargetError if a module in `tasks` fails to import.
 *
 * @example
 * ```ts
 * import { serveQueue } from "@weft/distributed";
 * const server = await serveQueue({
 *   connection: "redis://127.0.0.1:6379",
 *   queue: "images",
 *   concurrency: 4,
 *   tasks: [new URL("./tasks.js", import.meta.url)],
 * });
 * process.once("SIGTERM", () => void server.close());
 * ```
 */
export async function serveQueue(options: ServeQueueOptions): Promise<QueueServer> {
  const W = "serveQueue options";
  checkOptions(W, options, SERVE_KEYS, true);
  const connection = resolveConnection(W, options.connection);
  const { options: redis, server } = connection;
  const queue = nameOption(`${W}: queue`, options.queue);
  const prefix = nameOption(`${W}: prefix`, options.prefix, "bull");
  const concurrency = integerOption(`${W}: concurrency`, options.concurrency, 1, 1);
  const connectTimeout =
    options.connectTimeout === undefined
      ? 10_000
      : checkTimeout(`${W}: connectTimeout`, options.connectTimeout);
  const maxBytes = integerOption(`${W}: maxPayloadBytes`, options.maxPayloadBytes, 64, 8 * 1024 * 1024);
  const lockDuration = integerOption(`${W}: lockDuration`, options.lockDuration, 100, 30_000);
  const stalledInterval = integerOption(`${W}: stalledInterval`, options.stalledInterval, 100, 30_000);
  const maxStalledCount = integerOption(`${W}: maxStalledCount`, options.maxStalledCount, 0, 1);
  if (options.allowFunctionSource !== undefined && typeof options.allowFunctionSource !== "boolean") {
    throw new PoolOptionError(`${W}: allowFunctionSource must be true or false`);
  }
  const executor = options.executor;
  if (executor !== undefined && typeof (executor as Partial<Executor>).submitWith !== "function") {
    throw new PoolOptionError(
      `${W}: executor must be a weft executor (ThreadPoolExecutor, ProcessPoolExecutor)`,
    );
  }
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== "function")
    throw new PoolOptionError(`${W}: onError must be a function (error) => void`);
  const allowlist = await Allowlist.load(options.tasks, options.allowFunctionSource === true);

  let lastError: unknown;
  let up = false;
  let down = false;
  const report = (err: unknown): void => {
    lastError = err;
    if (!up || down) return;
    down = true;
    const error = new RedisConnectionError(
      server,
      `${describeConnectionFailure(server, err)}; jobs resume when it is back`,
      err,
    );
    if (onError !== undefined) onError(error);
    else console.error(`@weft/distributed worker (queue "${queue}"): ${error.message}`);
  };

  const subscriber = new Redis({
    ...redis,
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectionName: clientName(connection, `${queue}:cancel`),
  });
  subscriber.on("error", report);
  subscriber.on("ready", () => {
    down = false;
  });
  let served: QueueServer | undefined;
  const channel = cancelChannel(prefix, queue);
  subscriber.on("message", (ch: string, jobId: string) => {
    // (Before the worker serves, no job of this server can be running.)
    if (ch === channel) served?.onCancel(jobId);
  });
  const startedAt = performance.now();
  const failed = async (err: unknown, worker?: Worker): Promise<never> => {
    const cause = err instanceof TimedOut ? (err.cause ?? err) : err;
    closeClient(subscriber);
    await worker?.close(true).catch(() => {});
    throw new RedisConnectionError(
      server,
      describeConnectionFailure(server, cause, err instanceof TimedOut ? connectTimeout : undefined),
      cause,
    );
  };
  try {
    subscriber.connect().catch(() => {});
    await withinTimeout(
      whenReady(subscriber).then(() => subscriber.subscribe(channel)),
      connectTimeout,
      () => lastError,
    );
  } catch (err) {
    return failed(err);
  }
  // BullMQ's worker (two more connections) starts once Redis answered: a server that cannot reach it leaves no
  // client of BullMQ's behind (their disconnect() would keep the process alive 2 s: see closeClient).
  const worker = new Worker(queue, (job, _token, signal) => served!.process(job, signal), {
    connection: { ...redis, connectionName: clientName(connection, `${queue}:worker`) },
    prefix,
    concurrency,
    autorun: false,
    lockDuration,
    stalledInterval,
    maxStalledCount,
  });
  worker.on("error", report);
  served = new QueueServer(worker, subscriber, allowlist, executor, maxBytes);
  try {
    // What is left of connectTimeout (0 and Infinity wait for ever, as withinTimeout reads them).
    const bounded = Number.isFinite(connectTimeout) && connectTimeout > 0;
    const left = bounded ? Math.max(1, connectTimeout - (performance.now() - startedAt)) : connectTimeout;
    await withinTimeout(worker.waitUntilReady(), left, () => lastError);
  } catch (err) {
    return failed(err, worker);
  }
  up = true;
  void worker.run().catch(report);
  return served;
}

const CLOSE_KEYS = new Set(["force"]);

/** What the signal of a job aborted by a forced close carries. */
function closingReason(): DOMException {
  return new DOMException("the worker is closing", "AbortError");
}

/** The reason a job's signal aborts with when its executor cancels it (shutdown with cancelFutures, cancel()). */
function cancelledByExecutor(): CancelledError {
  return new CancelledError("the job was cancelled by its executor");
}
