// Executor.map / mapWith: Python's map(fn, *iterables) over a pool. One MapRun per call zips the iterables,
// submits calls lazily (a bounded number ahead of the consumer), yields results in input order, and keeps no
// result or future it has handed out. A run that exists when the executor shuts down submits the rest of its
// calls at once (Python's map has submitted everything when it returns), so it still delivers every result.

import { MarshalError, TimeoutError } from "@weft/sync";
import type { ExecutorCore } from "./core.js";
import { CancelledError, PoolOptionError, ShutdownError } from "./errors.js";
import type { Future } from "./future.js";
import { FLAG_CHUNK, FLAG_SPREAD } from "./message-codec.js";
import { checkMapOptions } from "./options.js";
import { TaskQueue } from "./task-queue.js";
import { timeoutOption } from "./timeout-option.js";

/** Options of {@link Executor.mapWith}. */
export interface MapOptions {
  /** Calls sent to a worker in one message (default 1). Raise it for many small items. */
  chunksize?: number;
  /**
   * ms from the call after which a result that is not ready throws {@link TimeoutError}; that call and every
   * later one are then cancelled (those not started never run). Any finite value waits at least that long;
   * `Infinity` or leaving it out waits without limit.
   */
  timeout?: number;
  /**
   * Most submitted calls (messages, with chunksize) whose results have not been yielded yet (Python 3.14's
   * `buffersize`). Default: enough to keep every worker's window full, `maxWorkers * window / chunksize`,
   * at least 2.
   */
  buffersize?: number;
}

/** Validated map options: chunksize, timeout (Infinity when none), buffersize (undefined for the default). */
interface MapSettings {
  chunksize: number;
  timeout: number;
  buffersize: number | undefined;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/** Checks map options (a PoolOptionError naming what is wrong, InvalidTimeoutError for the timeout). */
export function mapSettings(who: string, options: MapOptions): MapSettings {
  checkMapOptions(who, options);
  const chunksize = options.chunksize ?? 1;
  if (!Number.isInteger(chunksize) || chunksize < 1 || chunksize > 0x7fffffff) {
    throw new PoolOptionError(
      `${who}: chunksize must be an integer >= 1, got ${describe(options.chunksize)}`,
    );
  }
  const buffersize = options.buffersize;
  if (
    buffersize !== undefined &&
    (!Number.isInteger(buffersize) || buffersize < 1 || buffersize > 0x7fffffff)
  ) {
    throw new PoolOptionError(`${who}: buffersize must be an integer >= 1, got ${describe(buffersize)}`);
  }
  return { chunksize, timeout: timeoutOption(who, options.timeout), buffersize };
}

/**
 * Iterators of the iterables given to map, or a PoolOptionError naming the argument that is not iterable
 * (`first` is the argument number of the first iterable: 2 for map, 3 for mapWith).
 */
export function iteratorsOf(who: string, iterables: readonly unknown[], first: number): AnyIterator[] {
  const iterators: AnyIterator[] = [];
  for (let k = 0; k < iterables.length; k++) {
    const source = iterables[k] as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null | undefined;
    const asyncMethod = source?.[Symbol.asyncIterator];
    const syncMethod = asyncMethod === undefined ? source?.[Symbol.iterator] : undefined;
    if (typeof asyncMethod !== "function" && typeof syncMethod !== "function") {
      const optionsHint =
        typeof source === "object" && source !== null && !Array.isArray(source)
          ? `; options go first, in mapWith(options, fn, ...iterables)`
          : "";
      throw new PoolOptionError(
        `${who}: argument ${first + k} (iterables[${k}]) must be an iterable or async iterable, ` +
          `got ${describe(source)}${optionsHint}`,
      );
    }
    iterators.push(typeof asyncMethod === "function" ? asyncMethod.call(source) : syncMethod!.call(source));
  }
  return iterators;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return name === undefined || name === "Object" ? "a plain object" : `a ${name}`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/**
 * The maps of one executor that may still submit: at shutdown each submits the rest of its calls. Held
 * weakly, so a map that is dropped without being finished costs nothing.
 */
export class LiveMaps {
  readonly #runs = new Set<WeakRef<MapRun>>();
  readonly #gone = new FinalizationRegistry<WeakRef<MapRun>>((ref) => this.#runs.delete(ref));

  add(run: MapRun): WeakRef<MapRun> {
    const ref = new WeakRef(run);
    this.#runs.add(ref);
    this.#gone.register(run, ref, ref);
    return ref;
  }

  delete(ref: WeakRef<MapRun>): void {
    this.#runs.delete(ref);
    this.#gone.unregister(ref);
  }

  /** shutdown() is being called: every live map submits the rest now (or, with cancelFutures, stops). */
  shutdown(cancelFutures: boolean): void {
    for (const ref of [...this.#runs]) ref.deref()?.atShutdown(cancelFutures);
  }
}

const DONE: unique symbol = Symbol("done");

/** One map call: its sources, the futures submitted and not yet yielded, and how it ends. */
export class MapRun {
  readonly #core: ExecutorCore;
  readonly #target: number;
  readonly #iterators: AnyIterator[];
  /** Which iterators are async (their next() returns a promise). */
  readonly #isAsync: boolean[];
  readonly #anyAsync: boolean;
  readonly #chunksize: number;
  readonly #flags: number;
  readonly #timeout: number;
  readonly #deadline: number;
  readonly #ahead: number;
  readonly #maps: LiveMaps;
  readonly #ref: WeakRef<MapRun>;
  /** Futures submitted and not yet taken, oldest first (a taken one's slot is cleared at once). */
  #pending = new TaskQueue<Future<unknown>>();
  /** The sources ended (or failed, see #failure): nothing more to submit. */
  #exhausted = false;
  /** What stopped the sources early (an iterator or a submission threw): thrown after the earlier results. */
  #failure: { error: unknown } | undefined;
  #closed = false;
  /** shutdown() was called: submit everything now, whatever maxQueue says. */
  #eager = false;
  /** shutdown({ cancelFutures: true }) was called: submit nothing more. */
  #cut = false;
  /** An async pull in progress (only one at a time: the consumer's and the shutdown drain's are serialized). */
  #pulling: Promise<void> | undefined;
  /** With chunks: the results of the chunk being handed out, and the next one's index. */
  #chunk: unknown[] | undefined;
  #chunkAt = 0;
  /** Calls submitted so far (the input position of the next one). */
  #submitted = 0;

  constructor(
    core: ExecutorCore,
    target: number,
    iterators: AnyIterator[],
    settings: MapSettings,
    ahead: number,
    maps: LiveMaps,
  ) {
    this.#core = core;
    this.#target = target;
    this.#iterators = iterators;
    this.#isAsync = iterators.map((it) => Symbol.asyncIterator in it);
    this.#anyAsync = this.#isAsync.includes(true);
    this.#chunksize = settings.chunksize;
    const spread = iterators.length !== 1;
    this.#flags = settings.chunksize === 1 ? 0 : spread ? FLAG_CHUNK | FLAG_SPREAD : FLAG_CHUNK;
    this.#timeout = settings.timeout;
    this.#deadline =
      settings.timeout === Number.POSITIVE_INFINITY ? settings.timeout : performance.now() + settings.timeout;
    this.#ahead = ahead;
    this.#maps = maps;
    this.#ref = maps.add(this);
    if (iterators.length === 0) this.#exhausted = true; // Python's zip() of nothing is empty
    // Python's map submits at the call: so do the first calls here (sync sources with room in the queue; the
    // rest, and async sources, as the results are consumed).
    while (!this.#anyAsync && this.#wantsMore() && !core.full) this.#pullSync();
  }

  /** True when results come back as a chunk (a list) per future. */
  get chunked(): boolean {
    return this.#chunksize !== 1;
  }

  /** Submits calls until `ahead` are pending (or all of them after shutdown), the sources end, or a cut. */
  fill(): Promise<void> | undefined {
    // Sync sources with room in the queue (the common case) fill without a promise.
    while (this.#wantsMore()) {
      if (this.#anyAsync || this.#pulling !== undefined || (!this.#eager && this.#core.full)) {
        return this.#fillAsync();
      }
      this.#pullSync();
    }
    return undefined;
  }

  #wantsMore(): boolean {
    return !this.#exhausted && !this.#cut && !this.#closed && this.#pending.length < this.#ahead;
  }

  async #fillAsync(): Promise<void> {
    while (this.#wantsMore()) {
      if (this.#pulling !== undefined) {
        await this.#pulling;
        continue;
      }
      if (!this.#eager && this.#core.full) {
        try {
          await this.#core.waitForRoom();
        } catch (err) {
          if (!(this.#eager && err instanceof ShutdownError)) throw err;
        }
        continue;
      }
      if (this.#anyAsync) await this.#pullAsync();
      else this.#pullSync();
    }
  }

  /**
   * True when a result is left to take. Throws what stopped the sources, or CancelledError after
   * shutdown({ cancelFutures: true }), once the results before it are taken.
   */
  hasNext(): boolean {
    if (this.#pending.length > 0) return true;
    if (this.#failure !== undefined) {
      const { error } = this.#failure;
      this.#failure = undefined;
      throw error;
    }
    if (this.#cut && !this.#exhausted) {
      throw new CancelledError(
        "map: the executor was shut down with cancelFutures before the remaining calls were submitted",
      );
    }
    return false;
  }

  /**
   * The next result in input order (after hasNext()), to await: the future itself, or with a timeout a
   * promise that rejects with TimeoutError (and cancels that future) when the map's deadline passes. The run
   * forgets the future at once.
   */
  takeResult(): PromiseLike<unknown> {
    const f = this.#pending.shift()!;
    return this.#deadline === Number.POSITIVE_INFINITY || f.done() ? f : this.#resultWithin(f);
  }

  /** For chunks: makes a chunk's results (from takeResult()) current; takeFromChunk() hands them out. */
  setChunk(results: unknown): void {
    this.#chunk = results as unknown[];
    this.#chunkAt = 0;
  }

  /** True while the current chunk has results left. */
  chunkLeft(): boolean {
    return this.#chunk !== undefined && this.#chunkAt < this.#chunk.length;
  }

  /** The current chunk's next result; its slot is cleared (the list keeps nothing handed out). */
  takeFromChunk(): unknown {
    const chunk = this.#chunk!;
    const value = chunk[this.#chunkAt];
    chunk[this.#chunkAt++] = undefined;
    if (this.#chunkAt === chunk.length) this.#chunk = undefined;
    return value;
  }

  /** The result of `f` within the map's deadline; when it passes, cancels `f` and throws TimeoutError. */
  async #resultWithin(f: Future<unknown>): Promise<unknown> {
    const left = this.#deadline - performance.now();
    if (left > 0) {
      try {
        return await f.result({ timeout: left });
      } catch (err) {
        if (f.done()) throw err; // the task's own error
      }
    }
    f.cancel(); // later calls are cancelled when the generator closes the run
    throw new TimeoutError(
      `map: a result was not ready within ${this.#timeout} ms of the call; it and every later call were ` +
        "cancelled (calls already running finish). Raise the timeout, or use submit() and wait()",
    );
  }

  /** The executor is shutting down: submit the rest now, or (cancelFutures) nothing more. */
  atShutdown(cancelFutures: boolean): void {
    if (this.#closed || this.#exhausted) return;
    if (cancelFutures) {
      this.#cut = true;
      return;
    }
    this.#eager = true;
    if (!this.#anyAsync) {
      while (!this.#exhausted) this.#pullSync();
      return;
    }
    const core = this.#core;
    core.hold(); // the workers stay until the async sources are drained
    void this.#drainAsync().finally(() => core.release());
  }

  /** Ends the run: cancels what was submitted and not yielded, closes the sources it did not finish. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#maps.delete(this.#ref);
    for (const f of this.#pending.drain()) f.cancel();
    this.#chunk = undefined;
    // An async pull in progress submits nothing once closed; return() below queues behind its next().
    if (!this.#exhausted) {
      this.#exhausted = true;
      await this.#closeSources(-1);
    }
  }

  async #drainAsync(): Promise<void> {
    while (!this.#exhausted && !this.#closed) {
      if (this.#pulling !== undefined) await this.#pulling;
      else await this.#pullAsync();
    }
  }

  /** One chunk (or one call) from sync sources, submitted. Never throws: a failure ends the sources. */
  #pullSync(): void {
    const size = this.#chunksize;
    const chunk: unknown[] = [];
    try {
      while (chunk.length < size) {
        const args = this.#nextArgsSync();
        if (args === DONE) break;
        chunk.push(args);
      }
    } catch (err) {
      this.#fail(err);
    }
    this.#submit(chunk);
  }

  #pullAsync(): Promise<void> {
    const p = this.#pullAsyncNow();
    this.#pulling = p;
    return p.finally(() => {
      if (this.#pulling === p) this.#pulling = undefined;
    });
  }

  /** One chunk (or one call) from sources of which some are async, submitted. Never rejects. */
  async #pullAsyncNow(): Promise<void> {
    const size = this.#chunksize;
    const chunk: unknown[] = [];
    try {
      while (chunk.length < size && !this.#closed) {
        const args = await this.#nextArgsAsync();
        if (args === DONE) break;
        chunk.push(args);
      }
    } catch (err) {
      this.#fail(err);
    }
    if (!this.#closed) this.#submit(chunk);
  }

  /** The next call's arguments: the value itself for one iterable, else the list; DONE at the shortest end. */
  #nextArgsSync(): unknown {
    const its = this.#iterators as Iterator<unknown>[];
    if (its.length === 1) {
      const step = its[0]!.next();
      if (!step.done) return step.value;
      this.#exhausted = true;
      return DONE;
    }
    const args = new Array<unknown>(its.length);
    for (let k = 0; k < its.length; k++) {
      const step = its[k]!.next();
      if (step.done) {
        this.#exhausted = true;
        void this.#closeSources(k);
        return DONE;
      }
      args[k] = step.value;
    }
    return args;
  }

  async #nextArgsAsync(): Promise<unknown> {
    const its = this.#iterators;
    const args = new Array<unknown>(its.length);
    for (let k = 0; k < its.length; k++) {
      const step = this.#isAsync[k] ? await its[k]!.next() : (its[k] as Iterator<unknown>).next();
      if (step.done) {
        this.#exhausted = true;
        await this.#closeSources(k);
        return DONE;
      }
      args[k] = step.value;
    }
    return its.length === 1 ? args[0] : args;
  }

  /** Calls return() on every source but `ended` (the one that ran out; -1 for none). */
  async #closeSources(ended: number): Promise<void> {
    const its = this.#iterators;
    for (let k = 0; k < its.length; k++) {
      if (k === ended) continue;
      try {
        const r = its[k]!.return?.();
        if (this.#isAsync[k]) await r;
      } catch {
        // Python's zip does not close the other iterables at all; a failing return() changes nothing here.
      }
    }
  }

  /** Submits one chunk (or one call): it bypasses maxQueue after shutdown. A failure ends the sources. */
  #submit(chunk: unknown[]): void {
    if (chunk.length === 0) return;
    const core = this.#core;
    try {
      try {
        core.checkOpen();
      } catch (err) {
        if (!(this.#eager && err instanceof ShutdownError)) throw err;
      }
      const f =
        this.#flags !== 0
          ? core.enqueue(this.#target, chunk, this.#flags)
          : this.#iterators.length === 1
            ? core.enqueue(this.#target, chunk, 0)
            : core.enqueue(this.#target, chunk[0] as unknown[], 0);
      this.#pending.push(f);
      this.#submitted += chunk.length;
    } catch (err) {
      this.#fail(this.#asItemError(err));
    }
  }

  /**
   * A MarshalError of the core names the value by its place in the message it builds (`args[0].x`, or in a
   * chunk `args[2][1].x`); the user knows it by its place in the iterables: `items[7].x` for one iterable,
   * `iterables[1][7].x` for several.
   */
  #asItemError(err: unknown): unknown {
    if (!(err instanceof MarshalError)) return err;
    const m = /^args\[(\d+)\](?:\[(\d+)\])?/.exec(err.path);
    if (m === null) return err;
    const chunked = this.#flags !== 0;
    const single = this.#iterators.length === 1;
    let call = this.#submitted;
    let arg = 0;
    let used = m[0].length;
    if (chunked) {
      call += Number(m[1]);
      if (!single) {
        if (m[2] === undefined) return err;
        arg = Number(m[2]);
      } else used = m[0].length - (m[2] === undefined ? 0 : `[${m[2]}]`.length);
    } else {
      arg = Number(m[1]);
      used = m[0].length - (m[2] === undefined ? 0 : `[${m[2]}]`.length);
    }
    const itemPath = single ? `items[${call}]` : `iterables[${arg}][${call}]`;
    const path = itemPath + err.path.slice(used);
    return new MarshalError(path, err.message.slice(err.path.length + 1));
  }

  #fail(error: unknown): void {
    if (this.#failure === undefined) this.#failure = { error };
    if (!this.#exhausted) {
      this.#exhausted = true;
      void this.#closeSources(-1);
    }
  }
}

/**
 * The results of a map, in input order. Holds nothing it has yielded (CPython bpo-14406): each future is
 * forgotten before its result is handed out, a chunk's list is emptied as it goes, and no local variable of
 * this generator holds a result across a `yield` (V8 keeps a suspended generator's locals alive; a value
 * that is only an operand of `yield` is not kept).
 */
export async function* mapResults(run: MapRun): AsyncGenerator<unknown, void, undefined> {
  try {
    for (;;) {
      if (run.chunkLeft()) {
        yield run.takeFromChunk();
        continue;
      }
      const filling = run.fill();
      if (filling !== undefined) await filling;
      if (!run.hasNext()) return;
      if (run.chunked) run.setChunk(await run.takeResult());
      else yield await run.takeResult();
    }
  } finally {
    await run.close();
  }
}
