import { randomBytes } from "node:crypto";
import {
  BrokenExecutorError,
  type Future,
  type MapIterables,
  type ModuleTarget,
  QueueFullError,
  ShutdownError,
  type ShutdownOptions,
  type TaskArgs,
  type TaskFunction,
  type TaskResult,
  type TypedModuleTarget,
} from "@weft/pool";
import { type JobsOptions, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { decodeOutcome, encodeValue } from "./codec.js";
import {
  clientName,
  closeClient,
  describeConnectionFailure,
  endClientsOf,
  TimedOut,
  whenReady,
  whileConnected,
  withinTimeout,
} from "./connection.js";
import { type CancelHook, DistributedFuture } from "./distributed-future.js";
import { JobFailedError, JobRemovedError, RedisConnectionError } from "./errors.js";
import { MapRun, openIterables } from "./map-run.js";
import {
  type DistributedExecutorOptions,
  type DistributedMapOptions,
  type DistributedTaskOptions,
  type ExecutorSettings,
  resolveExecutorOptions,
  resolveMapOptions,
  resolveShutdownOptions,
  resolveTaskOptions,
  type TaskSettings,
} from "./options.js";
import { describeTarget, jobName, type WireTarget } from "./target.js";
import { cancelChannel, type JobData, type Outcome, WIRE_VERSION } from "./wire.js";

/** A job this executor added (or is adding) and has not settled yet. */
class Pending {
  added = false;
  withdrawn = false;
  /** The AbortSignals of its futures (one per submit that passed one) and their listeners. */
  readonly aborts: [signal: AbortSignal, onAbort: () => void][] = [];
  constructor(
    readonly id: string,
    readonly futures: DistributedFuture<unknown>[],
    readonly name: string,
    readonly data: JobData,
    readonly opts: JobsOptions,
    readonly chunk: boolean,
    readonly userId: boolean,
    readonly since: number,
  ) {}
}

const NO_TASK_OPTIONS: TaskSettings = {
  signal: undefined,
  timeout: 0,
  priority: undefined,
  attempts: undefined,
  jobId: undefined,
};

/**
 * Python's `concurrent.futures.Executor` across machines: tasks become BullMQ jobs in a Redis queue, any
 * number of workers on any machines run them (`serveQueue` or the `weft-worker` CLI), and each returns
 * weft's {@link Future}, so `asCompleted`, `wait`, `addDoneCallback` and `result({ timeout })` work
 * unchanged next to thread and process pools. Arguments and results keep their types (Date, Map, Set,
 * BigInt, typed arrays, errors with their class and stack); a value that cannot cross is a MarshalError
 * naming its path at `submit`.
 *
 * Guarantees: each task runs at least once (a job whose worker dies is run again by another after BullMQ's
 * stall detection), each future settles exactly once (a result that arrives twice is ignored), and a
 * future whose job disappears rejects with {@link JobRemovedError} instead of waiting forever.
 *
 * @example
 * ```ts
 * await using ex = new DistributedExecutor({ connection: "redis://127.0.0.1:6379", queue: "images" });
 * const resize = moduleTask<typeof import("./tasks.js").resize>(new URL("./tasks.js", import.meta.url), "resize");
 * const sizes = await Promise.all(files.map((f) => ex.submit(resize, f, 256)));
 * ```
 */
export class DistributedExecutor implements AsyncDisposable, Disposable, CancelHook {
  readonly #s: ExecutorSettings;
  readonly #id = randomBytes(6).toString("hex");
  #seq = 0;
  readonly #client: Redis;
  #queue: Queue | undefined;
  #events: QueueEvents | undefined;
  /** The blocking connection of #events, this executor's own (so that closing can end it: see closeClient). */
  #eventsClient: Redis | undefined;
  readonly #started: Promise<void>;
  readonly #pending = new Map<string, Pending>();
  /** Removals of withdrawn jobs still under way, by job id: a submit of the same jobId waits for its own. */
  readonly #removals = new Map<string, Promise<void>>();
  #toAdd: Pending[] = [];
  #flushing = false;
  #isShutdown = false;
  #broken: Error | undefined;
  #down = false;
  #closed: Promise<void> | undefined;
  #idle: (() => void)[] = [];
  #room: (() => void)[] = [];
  readonly #maps = new Set<MapRun>();
  #reconcileTimer: NodeJS.Timeout | undefined;
  #lastError: unknown;
  #up = false;
  /** How long finished jobs stay in Redis (one object shared by every job's options). */
  readonly #keep: { age: number };
  /** Set when the connections start closing: a start still under way stops there (see #start). */
  #closing = false;
  #abandon: (() => void) | undefined;
  /** Rejects once the connections start closing, so that a start waiting for Redis stops waiting. */
  readonly #abandoned = new Promise<never>((_, reject) => {
    this.#abandon = () => reject(new ShutdownError());
  });

  constructor(options: DistributedExecutorOptions) {
    this.#s = resolveExecutorOptions(options);
    this.#keep = { age: this.#s.keepResults };
    this.#client = new Redis({
      ...this.#s.connection.options,
      lazyConnect: true,
      maxRetriesPerRequest: null,
      connectionName: clientName(this.#s.connection, `${this.#s.queue}:executor`),
    });
    this.#client.on("error", (err) => this.#reportDown(err));
    this.#abandoned.catch(() => {});
    this.#started = this.#start();
    this.#started.catch(() => {}); // the failure is delivered to every future
  }

  /** The queue's name. */
  get queue(): string {
    return this.#s.queue;
  }

  /** Futures of this executor that are not done yet, and how many of their jobs are still being added. */
  get stats(): { pending: number; adding: number } {
    return { pending: this.#pending.size, adding: this.#toAdd.length };
  }

  async #start(): Promise<void> {
    const { server } = this.#s.connection;
    const timeout = this.#s.connectTimeout;
    try {
      this.#client.connect().catch(() => {}); // ioredis keeps retrying; readiness is what counts
      // Each wait also ends when shutdown() closes the connections meanwhile: its client will never be
      // ready then, and connectTimeout's timer would keep the process alive until it ran out.
      await withinTimeout(
        Promise.race([whenReady(this.#client), this.#abandoned]),
        timeout,
        () => this.#lastError,
      );
      const [sec, usec] = await Promise.race([this.#client.time(), this.#abandoned]);
      this.#stopIfClosing();
      // Events from just before now on: none of this executor's jobs can have an earlier event.
      const since = `${Number(sec) * 1000 + Math.floor(Number(usec) / 1000) - 1}-0`;
      const prefix = this.#s.prefix;
      this.#queue = new Queue(this.#s.queue, { connection: this.#client, prefix });
      this.#queue.on("error", (err) => this.#reportDown(err));
      this.#eventsClient = new Redis({
        ...this.#s.connection.options,
        maxRetriesPerRequest: null, // a blocking connection (BullMQ requires it)
        connectionName: clientName(this.#s.connection, `${this.#s.queue}:events`),
      });
      this.#eventsClient.on("error", (err) => this.#reportDown(err));
      const events = new QueueEvents(this.#s.queue, {
        connection: this.#eventsClient,
        prefix,
        lastEventId: since,
      });
      this.#events = events;
      events.on("error", (err) => this.#reportDown(err));
      events.on("active", ({ jobId }) => this.#onActive(jobId));
      events.on("completed", ({ jobId, returnvalue }) => this.#onCompleted(jobId, returnvalue));
      events.on("failed", ({ jobId }) => void this.#reconcile([jobId]));
      events.on("removed", ({ jobId }) => this.#onRemoved(jobId));
      await withinTimeout(
        Promise.race([Promise.all([this.#queue.waitUntilReady(), events.waitUntilReady()]), this.#abandoned]),
        timeout,
        () => this.#lastError,
      );
      this.#stopIfClosing();
      this.#client.on("ready", () => this.#onReconnected());
      this.#reconcileTimer = setInterval(() => this.#sweep(), this.#s.reconcileInterval);
      this.#reconcileTimer.unref();
      this.#up = true;
    } catch (err) {
      // Shut down before it was connected: nothing is pending (shutdown waited for that), and what was
      // created is being closed.
      if (this.#closing) throw new ShutdownError();
      const cause = err instanceof TimedOut ? (err.cause ?? err) : err;
      const failure = new RedisConnectionError(
        server,
        describeConnectionFailure(server, cause, err instanceof TimedOut ? timeout : undefined),
        cause,
      );
      this.#broken = failure;
      this.#failAll(failure);
      void this.#closeConnections();
      throw failure;
    }
  }

  /**
   * Adds a job that runs `target(...args)` on a worker of the queue and returns its Future. `target` is a
   * module task (see `moduleTask`; workers serve only the modules they allow) or a self-contained function,
   * sent as source (workers refuse it unless started with `allowFunctionSource`). Throws MarshalError naming
   * the path of an argument that cannot cross (or is too large), ShutdownError after shutdown, QueueFullError
   * when `maxQueue` futures are pending.
   *
   * @example
   * ```ts
   * const f = ex.submit(resize, "cat.png", 256); // Future<number>
   * console.log(await f);
   * ```
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): DistributedFuture<Awaited<R>>;
  submit<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...args: Parameters<F>
  ): DistributedFuture<Awaited<ReturnType<F>>>;
  submit(target: TaskFunction | ModuleTarget, ...args: unknown[]): DistributedFuture<unknown> {
    return this.#submit(describeTarget(target), args, NO_TASK_OPTIONS);
  }

  /**
   * Like {@link DistributedExecutor.submit} with per-task options: an AbortSignal, a timeout on the worker, a
   * BullMQ priority, attempts (retries of a task that throws), and a jobId for idempotency.
   *
   * @example
   * ```ts
   * const f = ex.submitWith({ jobId: `order-${order.id}`, attempts: 3 }, chargeCard, order);
   * ```
   */
  submitWith<T extends TaskFunction | TypedModuleTarget<TaskFunction> | ModuleTarget>(
    options: DistributedTaskOptions,
    target: T,
    ...args: TaskArgs<T>
  ): DistributedFuture<TaskResult<T>> {
    const settings = resolveTaskOptions(options);
    return this.#submit(describeTarget(target), args, settings) as DistributedFuture<TaskResult<T>>;
  }

  /**
   * Submits and awaits the result, respecting `whenFull`: with "wait" it first waits for room when
   * `maxQueue` futures are pending, with "reject" it rejects with QueueFullError.
   *
   * @example
   * ```ts
   * const n = await ex.run(countWords, "https://example.org/");
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  run<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...args: Parameters<F>
  ): Promise<Awaited<ReturnType<F>>>;
  async run(target: TaskFunction | ModuleTarget, ...args: unknown[]): Promise<unknown> {
    const wire = describeTarget(target);
    while (this.#full) {
      if (this.#s.whenFull === "reject") throw new QueueFullError(this.#s.maxQueue);
      await this.ready();
    }
    return this.#submit(wire, args, NO_TASK_OPTIONS);
  }

  /**
   * Resolves when there is room for a task (at once unless `maxQueue` futures are pending).
   *
   * @example
   * ```ts
   * await ex.ready();
   * ex.submit(task, item); // does not throw QueueFullError
   * ```
   */
  ready(): Promise<void> {
    if (!this.#full) return Promise.resolve();
    return new Promise((resolve) => this.#room.push(resolve));
  }

  /**
   * Python's `Executor.map(fn, *iterables)` across machines: calls zipped from the iterables (sync or
   * async; stops at the shortest), results in input order, a call's error thrown at its position, calls
   * submitted a bounded number ahead; breaking out cancels what has not started.
   *
   * @example
   * ```ts
   * for await (const size of ex.map(resize, files, sizes)) console.log(size);
   * ```
   */
  map<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...iterables: MapIterables<A>
  ): AsyncGenerator<Awaited<R>, void, undefined>;
  map<F extends TaskFunction>(
    target: TypedModuleTarget<F>,
    ...iterables: MapIterables<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined>;
  map(
    target: TaskFunction | ModuleTarget,
    ...iterables: unknown[]
  ): AsyncGenerator<unknown, void, undefined> {
    return this.#startMap("map", 2, {}, target, iterables);
  }

  /**
   * {@link DistributedExecutor.map} with options first: `chunksize` calls per job (fewer round trips for
   * tiny tasks), `timeout` for the whole map, `buffersize` jobs ahead of the results taken.
   *
   * @example
   * ```ts
   * for await (const n of ex.mapWith({ chunksize: 100 }, square, numbers)) total += n;
   * ```
   */
  mapWith<A extends unknown[], R>(
    options: DistributedMapOptions,
    fn: (...args: A) => R,
    ...iterables: MapIterables<A>
  ): AsyncGenerator<Awaited<R>, void, undefined>;
  mapWith<F extends TaskFunction>(
    options: DistributedMapOptions,
    target: TypedModuleTarget<F>,
    ...iterables: MapIterables<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined>;
  mapWith(
    options: DistributedMapOptions,
    target: TaskFunction | ModuleTarget,
    ...iterables: unknown[]
  ): AsyncGenerator<unknown, void, undefined> {
    return this.#startMap("mapWith", 3, options, target, iterables);
  }

  #startMap(
    who: string,
    first: number,
    options: unknown,
    target: unknown,
    iterables: unknown[],
  ): AsyncGenerator<unknown, void, undefined> {
    this.#checkOpen();
    const settings = resolveMapOptions(who, options);
    const wire = describeTarget(target);
    const iterators = openIterables(who, iterables, first);
    const host = {
      submitCalls: (calls: unknown[][], firstIndex: number) => this.#submitCalls(wire, calls, firstIndex),
      full: () => this.#full,
      ready: () => this.ready(),
    };
    return new MapRun(host, iterators, settings, this.#maps).results();
  }

  /**
   * Stops accepting tasks, then (by default) waits until every future is done and closes the connections.
   * `cancelFutures` cancels what has not started: waiting jobs are removed, and running ones get their
   * AbortSignal aborted on their workers (a task that finishes anyway still delivers its result). A map
   * created before this call still delivers all its results.
   *
   * @example
   * ```ts
   * await ex.shutdown({ cancelFutures: true });
   * ```
   */
  async shutdown(options: ShutdownOptions = {}): Promise<void> {
    const { wait, cancelFutures } = resolveShutdownOptions(options);
    if (!this.#isShutdown) {
      this.#isShutdown = true;
      const maps = [...this.#maps].map((m) => m.onShutdown(cancelFutures));
      if (cancelFutures) this.#cancelPending();
      this.#closed = Promise.allSettled(maps)
        .then(() => this.#whenIdle())
        .then(() => this.#closeConnections());
    } else if (cancelFutures) {
      // As in Python (and the pools): a later shutdown({ cancelFutures: true }) still cancels what is left,
      // for example after shutdown({ wait: false }) or while another caller awaits shutdown().
      for (const m of [...this.#maps]) void m.onShutdown(true);
      this.#cancelPending();
    }
    if (wait) await this.#closed;
  }

  /** shutdown({ cancelFutures }): cancels the futures not seen running, asks workers to abort the others. */
  #cancelPending(): void {
    for (const p of [...this.#pending.values()]) {
      for (const f of p.futures) f.cancel();
      if (this.#pending.has(p.id)) void this.#abortRunning(p.id);
    }
  }

  /** `await using ex = new DistributedExecutor(...)`: shuts down and waits at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /** `using ex = ...`: shuts down without waiting (pending futures still settle, then connections close). */
  [Symbol.dispose](): void {
    void this.shutdown({ wait: false });
  }

  /** @internal A future was cancelled before its job was seen running. */
  onCancelled(future: DistributedFuture<unknown>): void {
    const p = this.#pending.get(future.jobId);
    if (p === undefined || !p.futures.every((f) => f.done())) return;
    this.#withdraw(p);
  }

  // ---- submitting ----

  get #full(): boolean {
    return this.#pending.size >= this.#s.maxQueue;
  }

  #checkOpen(): void {
    if (this.#broken !== undefined) {
      throw new BrokenExecutorError(`this DistributedExecutor cannot run tasks: ${this.#broken.message}`, {
        cause: this.#broken,
      });
    }
    if (this.#isShutdown) throw new ShutdownError();
  }

  #submit(
    wire: WireTarget,
    args: unknown[],
    task: TaskSettings,
    ignoreFull = false,
  ): DistributedFuture<unknown> {
    this.#checkOpen();
    const encoded = encodeValue(args, "args", this.#s.maxPayloadBytes);
    if (this.#full && !ignoreFull) throw new QueueFullError(this.#s.maxQueue);
    const id = task.jobId ?? `${this.#id}-${++this.#seq}`;
    const future = new DistributedFuture<unknown>(id, this);
    const existing = this.#pending.get(id);
    if (existing !== undefined) {
      // The same idempotency key again: one job, every future settles with it; this future's own signal
      // still rejects this future (and withdraws the job once every future of it is done).
      if (task.signal?.aborted) future.setException(task.signal.reason);
      else {
        existing.futures.push(future);
        if (task.signal !== undefined) this.#watchSignal(existing, future, task.signal);
      }
      return future;
    }
    const data: JobData =
      task.timeout > 0
        ? { v: WIRE_VERSION, t: wire, a: encoded, to: task.timeout }
        : { v: WIRE_VERSION, t: wire, a: encoded };
    this.#enqueue(
      new Pending(
        id,
        [future],
        jobName(wire),
        data,
        this.#jobOptions(id, task),
        false,
        task.jobId !== undefined,
        Date.now(),
      ),
      task.signal,
    );
    return future;
  }

  #submitCalls(wire: WireTarget, calls: unknown[][], firstIndex: number): Future<unknown>[] {
    if (this.#broken !== undefined) this.#checkOpen();
    // The map waited for room itself (or, after shutdown, submits everything, whatever maxQueue says).
    if (calls.length === 1) return [this.#submitOpen(wire, calls[0]!)];
    const encoded = calls.map((args, i) =>
      encodeValue(args, `map call ${firstIndex + i}: args`, this.#s.maxPayloadBytes),
    );
    const id = `${this.#id}-${++this.#seq}`;
    const futures = calls.map(() => new DistributedFuture<unknown>(id, this));
    const data: JobData = { v: WIRE_VERSION, t: wire, c: JSON.stringify(encoded) };
    this.#enqueue(
      new Pending(
        id,
        futures,
        jobName(wire),
        data,
        this.#jobOptions(id, NO_TASK_OPTIONS),
        true,
        false,
        Date.now(),
      ),
      undefined,
    );
    return futures;
  }

  /** submit for a map created before shutdown (which keeps delivering after it). */
  #submitOpen(wire: WireTarget, args: unknown[]): DistributedFuture<unknown> {
    const shut = this.#isShutdown;
    this.#isShutdown = false;
    try {
      return this.#submit(wire, args, NO_TASK_OPTIONS, true);
    } finally {
      this.#isShutdown = shut;
    }
  }

  #jobOptions(id: string, task: TaskSettings): JobsOptions {
    const opts: JobsOptions = { jobId: id, removeOnComplete: this.#keep, removeOnFail: this.#keep };
    const attempts = task.attempts ?? this.#s.attempts;
    if (attempts > 1) opts.attempts = attempts; // BullMQ's default is 1
    if (task.priority !== undefined) opts.priority = task.priority;
    return opts;
  }

  #enqueue(p: Pending, signal: AbortSignal | undefined): void {
    if (signal !== undefined) {
      if (signal.aborted) {
        p.futures[0]!.setException(signal.reason);
        return;
      }
      this.#watchSignal(p, p.futures[0]!, signal);
    }
    this.#pending.set(p.id, p);
    this.#toAdd.push(p);
    if (!this.#flushing) {
      this.#flushing = true;
      queueMicrotask(() => void this.#flush());
    }
  }

  /** Aborting `signal` rejects `future` with its reason, and withdraws the job once all its futures are done. */
  #watchSignal(p: Pending, future: DistributedFuture<unknown>, signal: AbortSignal): void {
    const onAbort = (): void => {
      if (!future.done()) future.setException(signal.reason);
      if (p.futures.every((x) => x.done())) this.#withdraw(p);
    };
    p.aborts.push([signal, onAbort]);
    signal.addEventListener("abort", onAbort, { once: true });
  }

  /** Adds every job queued since the last flush in one round trip (BullMQ addBulk: one MULTI). */
  async #flush(): Promise<void> {
    try {
      await this.#started;
    } catch {
      this.#flushing = false;
      return; // #start failed every pending future
    }
    while (this.#toAdd.length > 0) {
      let batch = this.#toAdd.filter((p) => !p.withdrawn);
      this.#toAdd = [];
      // A jobId whose earlier job this executor is removing (it was cancelled) is added once that job is
      // gone: added before, it would join the old job, which the removal then deletes.
      const removing = batch.flatMap((p) => (p.userId ? (this.#removals.get(p.id) ?? []) : []));
      if (removing.length > 0) {
        await Promise.all(removing);
        batch = batch.filter((p) => !p.withdrawn);
      }
      if (batch.length === 0) continue;
      try {
        await this.#queue!.addBulk(batch.map((p) => ({ name: p.name, data: p.data, opts: p.opts })));
      } catch (err) {
        const failure = new RedisConnectionError(
          this.#s.connection.server,
          `could not add ${batch.length} job(s) to queue "${this.#s.queue}": ${(err as Error)?.message ?? String(err)}`,
          err,
        );
        for (const p of batch) this.#settleAll(p, false, failure);
        continue;
      }
      const known: string[] = [];
      for (const p of batch) {
        p.added = true;
        if (p.withdrawn) this.#remove(p);
        else if (p.userId) known.push(p.id); // an existing job with that id may have finished already
      }
      if (known.length > 0) void this.#reconcile(known);
    }
    this.#flushing = false;
  }

  // ---- outcomes ----

  #onActive(jobId: string): void {
    const p = this.#pending.get(jobId);
    if (p === undefined) return;
    for (const f of p.futures) if (!f.done() && !f.running()) f.setRunningOrNotifyCancel();
  }

  #onCompleted(jobId: string, returnvalue: unknown): void {
    const p = this.#pending.get(jobId);
    if (p !== undefined) this.#finish(p, returnvalue);
  }

  #onRemoved(jobId: string): void {
    const p = this.#pending.get(jobId);
    // Checked in Redis: the event may be that of an earlier job with the same jobId (cancelled, then
    // submitted again), removed before this one was added.
    if (p?.added && !p.withdrawn) void this.#reconcile([jobId]);
  }

  /** Settles a pending job's futures from its return value (the first outcome wins; later ones find none). */
  #finish(p: Pending, returnvalue: unknown): void {
    try {
      if (p.chunk) {
        const parts = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as string[];
        this.#release(p);
        for (let i = 0; i < p.futures.length; i++) settle(p.futures[i]!, decodeOutcome(parts[i]!));
      } else {
        const outcome = decodeOutcome(returnvalue as string);
        this.#release(p);
        for (const f of p.futures) settle(f, outcome);
      }
    } catch (err) {
      this.#settleAll(p, false, err);
    }
  }

  #settleAll(p: Pending, ok: boolean, value: unknown): void {
    this.#release(p);
    for (const f of p.futures) settle(f, [ok ? 1 : 0, value]);
  }

  /** Forgets a pending job (its futures are about to settle) and wakes whoever waits for room or idleness. */
  #release(p: Pending): void {
    if (this.#pending.get(p.id) !== p) return;
    this.#pending.delete(p.id);
    for (const [signal, onAbort] of p.aborts) signal.removeEventListener("abort", onAbort);
    if (this.#room.length > 0 && !this.#full) for (const wake of this.#room.splice(0)) wake();
    if (this.#pending.size === 0 && this.#idle.length > 0) for (const wake of this.#idle.splice(0)) wake();
  }

  #failAll(error: Error): void {
    for (const p of [...this.#pending.values()]) this.#settleAll(p, false, error);
    this.#toAdd = [];
  }

  /** Reads the state of jobs from Redis, for outcomes no event brought (missed in an outage, or finished earlier). */
  async #reconcile(ids: string[]): Promise<void> {
    const base = `${this.#s.prefix}:${this.#s.queue}:`;
    const pipeline = this.#client.pipeline();
    for (const id of ids) pipeline.hmget(base + id, "timestamp", "finishedOn", "returnvalue", "failedReason");
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch {
      return; // Redis is down: the next sweep (or reconnection) tries again
    }
    for (let i = 0; i < ids.length; i++) {
      const p = this.#pending.get(ids[i] as string);
      const [err, fields] = replies?.[i] ?? [null, null];
      if (p === undefined || !p.added || err !== null || !Array.isArray(fields)) continue;
      const [timestamp, finishedOn, returnvalue, failedReason] = fields as (string | null)[];
      if (timestamp == null) {
        if (!p.withdrawn) this.#settleAll(p, false, new JobRemovedError(p.id));
      } else if (finishedOn != null) {
        if (returnvalue != null && returnvalue !== "null") this.#finish(p, JSON.parse(returnvalue));
        else this.#settleAll(p, false, new JobFailedError(p.id, failedReason ?? "unknown reason"));
      }
    }
  }

  /** Periodically: reconcile the oldest jobs still pending after an interval (events are the fast path). */
  #sweep(): void {
    const before = Date.now() - this.#s.reconcileInterval;
    const ids: string[] = [];
    for (const p of this.#pending.values()) {
      if (p.since > before || ids.length >= 1000) break;
      if (p.added) ids.push(p.id);
    }
    if (ids.length > 0) void this.#reconcile(ids);
  }

  #onReconnected(): void {
    if (!this.#down) return;
    this.#down = false;
    const ids = [...this.#pending.values()].filter((p) => p.added).map((p) => p.id);
    for (let i = 0; i < ids.length; i += 1000) void this.#reconcile(ids.slice(i, i + 1000));
  }

  #reportDown(err: unknown): void {
    this.#lastError = err;
    if (!this.#up || this.#down || (this.#closed !== undefined && this.#pending.size === 0)) return;
    this.#down = true;
    const { server } = this.#s.connection;
    const error = new RedisConnectionError(
      server,
      `${describeConnectionFailure(server, err)}. Pending futures wait for Redis to come back`,
      err,
    );
    if (this.#s.onError !== undefined) this.#s.onError(error);
    else console.error(`@weft/distributed (queue "${this.#s.queue}"): ${error.message}`);
  }

  // ---- cancelling ----

  #withdraw(p: Pending): void {
    if (p.withdrawn) return;
    p.withdrawn = true;
    this.#release(p);
    if (p.added) this.#remove(p);
  }

  /** Removes (or aborts) a withdrawn job that was added, keeping track of the removal until it is done. */
  #remove(p: Pending): void {
    const done: Promise<void> = this.#removeOrAbort(p.id, p.userId).finally(() => {
      if (this.#removals.get(p.id) === done) this.#removals.delete(p.id);
    });
    this.#removals.set(p.id, done);
  }

  /**
   * Removes a waiting job; a job a worker holds is asked to abort instead. A job with the user's jobId may
   * have finished before this executor asked for it (idempotency): its kept outcome stays in Redis for
   * others, else the next submit with that jobId would run the task again.
   */
  async #removeOrAbort(id: string, userId: boolean): Promise<void> {
    try {
      if (userId) {
        const key = `${this.#s.prefix}:${this.#s.queue}:${id}`;
        if ((await this.#client.hexists(key, "finishedOn")) === 1) return;
      }
      const removed = await this.#queue!.remove(id);
      if (removed === 1) return;
    } catch {
      // removal failed (Redis down): ask the workers anyway
    }
    await this.#abortRunning(id);
  }

  async #abortRunning(id: string): Promise<void> {
    try {
      await this.#client.publish(cancelChannel(this.#s.prefix, this.#s.queue), id);
    } catch {
      // Redis is down: the job's outcome, when it comes, is ignored
    }
  }

  // ---- closing ----

  #whenIdle(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** A start that went on after the connections began closing creates nothing more. */
  #stopIfClosing(): void {
    if (this.#closing) throw new ShutdownError();
  }

  async #closeConnections(): Promise<void> {
    this.#closing = true;
    this.#abandon?.();
    clearInterval(this.#reconcileTimer);
    // BullMQ's close needs Redis (its event reader's connection quits) and, while Redis is away, waits for
    // it to come back, for ever if it does not: it is awaited only while Redis answers. After that the
    // clients end here, whatever their state (closeClient), which lets BullMQ's close finish.
    const closing = Promise.allSettled([this.#events?.close(), this.#queue?.close()]);
    const events = this.#events;
    const clients = [this.#client, this.#eventsClient];
    await whileConnected(closing, clients);
    const endAll = async (): Promise<void> => {
      if (events !== undefined) await endClientsOf(events);
      for (const c of clients) if (c !== undefined) closeClient(c);
    };
    if (clients.some((c) => c !== undefined && c.status !== "ready")) {
      await endAll();
      await closing;
    }
    await endAll(); // also clears the timers of the disconnect() BullMQ's close did meanwhile
  }
}

function settle(f: DistributedFuture<unknown>, [ok, value]: Outcome): void {
  if (f.done()) return;
  if (ok === 1) f.setResult(value);
  else f.setException(value);
}
