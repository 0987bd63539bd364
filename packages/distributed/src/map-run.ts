// Executor.map over a DistributedExecutor: zips sync and async iterables, submits calls (one job per chunk of
// `chunksize` calls) a bounded number ahead of the results taken, yields results in input order, throws a
// call's error at its position, cancels what is left when the consumer stops, and keeps delivering after
// shutdown() (which makes a live map submit everything it has left at once).
import { CancelledError, type Future, PoolOptionError, TimeoutError } from "@weft/pool";
import type { MapSettings } from "./options.js";

/** What a map needs from its executor. */
export interface MapHost {
  /** Submits one job for `calls` (argument lists); returns one future per call. Throws like submit. */
  submitCalls(calls: unknown[][], firstIndex: number): Future<unknown>[];
  /** True when the executor holds `maxQueue` pending futures. */
  full(): boolean;
  /** Resolves when there is room (the executor's `ready()`). */
  ready(): Promise<void>;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/** Checks map's iterables (from argument position `first` on) and opens them; a PoolOptionError names a bad one. */
export function openIterables(who: string, iterables: unknown[], first: number): AnyIterator[] {
  if (iterables.length === 0) {
    throw new PoolOptionError(`${who}(fn, ...iterables) needs at least one iterable`);
  }
  return iterables.map((it, i) => {
    const o = it as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null;
    if (o !== null && o !== undefined && typeof o[Symbol.asyncIterator] === "function")
      return o[Symbol.asyncIterator]!();
    if (o !== null && o !== undefined && typeof o[Symbol.iterator] === "function")
      return o[Symbol.iterator]!();
    throw new PoolOptionError(
      `${who}: argument ${first + i} must be an iterable or async iterable (an array, a Set, a generator), got ${it === null ? "null" : typeof it}`,
    );
  });
}

/** One live map. */
export class MapRun {
  readonly #host: MapHost;
  readonly #iterators: AnyIterator[];
  readonly #settings: MapSettings;
  readonly #deadline: number;
  readonly #live: Set<MapRun>;
  readonly #pending: Future<unknown>[] = [];
  #head = 0;
  #index = 0;
  #exhausted = false;
  #cancelledRest = false;
  #draining: Promise<void> | undefined;

  constructor(host: MapHost, iterators: AnyIterator[], settings: MapSettings, live: Set<MapRun>) {
    this.#host = host;
    this.#iterators = iterators;
    this.#settings = settings;
    this.#deadline = performance.now() + settings.timeout;
    this.#live = live;
    live.add(this);
  }

  /** At shutdown: submit every remaining call now, or (cancelFutures) none, throwing CancelledError for them. */
  onShutdown(cancelFutures: boolean): Promise<void> {
    if (cancelFutures) {
      this.#cancelledRest = true;
      for (let i = this.#head; i < this.#pending.length; i++) this.#pending[i]!.cancel();
      return Promise.resolve();
    }
    this.#draining ??= this.#fill(Number.POSITIVE_INFINITY);
    return this.#draining;
  }

  async *results(): AsyncGenerator<unknown, void, undefined> {
    try {
      for (;;) {
        if (!this.#cancelledRest && this.#draining === undefined) {
          await this.#fill(this.#head + this.#settings.buffersize * this.#settings.chunksize);
        } else if (this.#draining !== undefined) await this.#draining;
        if (this.#head >= this.#pending.length) {
          if (this.#exhausted) return;
          if (this.#cancelledRest)
            throw new CancelledError("the map was cancelled by shutdown({ cancelFutures: true })");
          continue;
        }
        const future = this.#pending[this.#head]!;
        const left = this.#deadline - performance.now();
        let value: unknown;
        try {
          value = await future.result(Number.isFinite(left) ? { timeout: Math.max(0, left) } : undefined);
        } catch (err) {
          if (err instanceof TimeoutError) {
            throw new TimeoutError(
              `map: result ${this.#head} was not ready within the map's timeout of ${this.#settings.timeout} ms; it and every later call were cancelled`,
            );
          }
          throw err;
        }
        this.#pending[this.#head++] = undefined as never;
        yield value;
      }
    } finally {
      for (let i = this.#head; i < this.#pending.length; i++) this.#pending[i]?.cancel();
      this.#exhausted = true;
      for (const it of this.#iterators) void closeIterator(it);
      this.#live.delete(this);
    }
  }

  /**
   * Pulls and submits calls until `until` calls exist (or the iterables end). Respects the executor's
   * `maxQueue` as the pools' map does: when it is full, it stops if a result of this map is there to take,
   * else waits for room; the shutdown drain (`until` Infinity) submits everything regardless.
   */
  async #fill(until: number): Promise<void> {
    const { chunksize } = this.#settings;
    const eager = until === Number.POSITIVE_INFINITY;
    while (!this.#exhausted && !this.#cancelledRest && this.#pending.length < until) {
      if (!eager && this.#host.full()) {
        if (this.#pending.length > this.#head) return; // take a result first (it makes room)
        await this.#roomOrDeadline();
        continue;
      }
      const calls: unknown[][] = [];
      while (calls.length < chunksize) {
        const call = await this.#next();
        if (call === undefined) break;
        calls.push(call);
      }
      if (calls.length > 0) {
        const futures = this.#host.submitCalls(calls, this.#index);
        this.#index += calls.length;
        for (const f of futures) this.#pending.push(f);
      }
    }
  }

  /** Waits for room in the executor, up to the map's deadline (then TimeoutError). */
  async #roomOrDeadline(): Promise<void> {
    const left = this.#deadline - performance.now();
    if (!Number.isFinite(left)) return this.#host.ready();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#host.ready(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new TimeoutError(
                  `map: no room in the executor (maxQueue) for call ${this.#index} within the map's timeout of ${this.#settings.timeout} ms`,
                ),
              ),
            Math.max(0, left),
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next argument list (one element of each iterable), or undefined when the shortest ended. */
  async #next(): Promise<unknown[] | undefined> {
    if (this.#exhausted) return undefined;
    const args: unknown[] = new Array(this.#iterators.length);
    for (let i = 0; i < this.#iterators.length; i++) {
      const step = await this.#iterators[i]!.next();
      if (step.done) {
        this.#exhausted = true;
        return undefined;
      }
      args[i] = step.value;
    }
    return args;
  }
}

async function closeIterator(it: AnyIterator): Promise<void> {
  try {
    await it.return?.();
  } catch {
    // the consumer stopped; an iterator that fails to close has nothing more to give
  }
}
