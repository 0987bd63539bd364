import { LongTimer } from "@weft/sync/extension";
import { PoolOptionError } from "./errors.js";
import { Future, futureFailed as failed, removeDoneCallback } from "./future.js";
import { TimeoutError } from "./interop.js";
import { checkOptions } from "./options.js";
import { TaskQueue } from "./task-queue.js";
import { timeoutOption } from "./timeout-option.js";

/** `wait` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait` returns when any future fails with an exception, or when all are done. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait` returns when all futures are done (the default). */
export const ALL_COMPLETED = "ALL_COMPLETED";

/** When {@link wait} returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of {@link wait}. */
export interface WaitOptions {
  /**
   * Milliseconds to wait at most; when they pass, `wait` returns what is done so far (it does not throw).
   * Any finite value waits at least that long; `Infinity` or leaving it out waits without limit.
   */
  timeout?: number;
  /** When to return; default {@link ALL_COMPLETED}. */
  returnWhen?: ReturnWhen;
}

/** The two sets returned by {@link wait}. */
export interface DoneAndNotDone<F> {
  done: Set<F>;
  notDone: Set<F>;
}

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /**
   * Milliseconds from the first `next()` (the start of the `for await` loop, as Python's generator counts
   * from its first step); the iterator throws {@link TimeoutError} if futures remain after that. Any
   * finite value waits at least that long; `Infinity` or leaving it out waits without limit.
   */
  timeout?: number;
}

const WAIT_KEYS = new Set<string>(
  Object.keys({ timeout: true, returnWhen: true } satisfies Record<keyof WaitOptions, true>),
);
const AS_COMPLETED_KEYS = new Set<string>(
  Object.keys({ timeout: true } satisfies Record<keyof AsCompletedOptions, true>),
);

/** The distinct futures of `futures`, checked: an iterable of {@link Future}s, else a PoolOptionError. */
function distinctFutures<F>(who: string, futures: Iterable<F>): Set<F> {
  if (futures === null || typeof (futures as Partial<Iterable<F>>)?.[Symbol.iterator] !== "function") {
    throw new PoolOptionError(
      `${who}(futures): futures must be an iterable of Futures (an array or a Set), got ${describe(futures)}`,
    );
  }
  const all = new Set(futures);
  let i = 0;
  for (const f of all) {
    if (!(f instanceof Future)) {
      throw new PoolOptionError(`${who}(futures): element ${i} is not a Future, got ${describe(f)}`);
    }
    i++;
  }
  return all;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return typeof value;
}

/**
 * Waits for futures (Python's `concurrent.futures.wait`) and returns `{ done, notDone }`. Never throws
 * for a task's failure or a timeout: look at the sets.
 *
 * @example
 * ```ts
 * const { done, notDone } = await wait(futures, { returnWhen: FIRST_COMPLETED, timeout: 1000 });
 * for (const f of done) console.log(await f);
 * ```
 */
export function wait<F extends Future<any>>(
  futures: Iterable<F>,
  options?: WaitOptions,
): Promise<DoneAndNotDone<F>> {
  let timeout: number;
  let all: Set<F>;
  let returnWhen: ReturnWhen;
  try {
    if (options !== undefined) checkOptions("wait options", options, WAIT_KEYS);
    returnWhen = options?.returnWhen ?? ALL_COMPLETED;
    timeout = timeoutOption("wait", options?.timeout);
    if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
      throw new PoolOptionError(
        `wait: returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got ${String(returnWhen)}`,
      );
    }
    all = distinctFutures("wait", futures);
  } catch (err) {
    return Promise.reject(err);
  }
  const done = new Set<F>();
  const notDone = new Set<F>();
  let anyFailed = false;
  for (const f of all) {
    if (f.done()) {
      done.add(f);
      if (failed(f)) anyFailed = true;
    } else notDone.add(f);
  }
  const satisfied = (): boolean =>
    notDone.size === 0 ||
    (returnWhen === FIRST_COMPLETED && done.size > 0) ||
    (returnWhen === FIRST_EXCEPTION && anyFailed);
  if (satisfied() || timeout === 0) return Promise.resolve({ done, notDone });
  return new Promise((resolve) => {
    let timer: LongTimer | undefined;
    const finish = (): void => {
      timer?.clear();
      for (const f of notDone) removeDoneCallback(f, onDone);
      resolve({ done, notDone });
    };
    const onDone = (f: Future<any>): void => {
      notDone.delete(f as F);
      done.add(f as F);
      if (failed(f)) anyFailed = true;
      if (satisfied()) finish();
    };
    if (timeout !== Number.POSITIVE_INFINITY) timer = new LongTimer(finish, timeout);
    for (const f of [...notDone]) f.addDoneCallback(onDone);
  });
}

/**
 * Yields futures as they complete (finish or are cancelled), those already done first (Python's
 * `concurrent.futures.as_completed`). Duplicates are yielded once. With `timeout`, throws
 * {@link TimeoutError} if some remain when it expires, counted from the first `next()`. As in Python, the
 * futures done at the first `next()` are all yielded, and so is each group that finished during one wait; the
 * deadline is checked between groups, so a consumer still busy when it passes gets TimeoutError even if more
 * futures finished meanwhile (they stay done: wait for them again). (A hand-written
 * iterator, not an async generator: a generator would await each yielded future and give results instead of
 * futures.)
 *
 * TypeScript types a `for await` variable as the awaited element, so it shows `f` as the result type
 * although `f` is the Future at run time: `await f` is right either way (and rethrows that task's error
 * inside the loop, where you can catch it per future).
 *
 * @example
 * ```ts
 * for await (const f of asCompleted(futures)) console.log(await f);
 * ```
 */
export function asCompleted<F extends Future<any>>(
  futures: Iterable<F>,
  options?: AsCompletedOptions,
): AsyncIterableIterator<F> {
  if (options !== undefined) checkOptions("asCompleted options", options, AS_COMPLETED_KEYS);
  const timeout = timeoutOption("asCompleted", options?.timeout);
  return new AsCompletedIterator(distinctFutures("asCompleted", futures), timeout);
}

// Holds only the futures it has not yielded yet (CPython bpo-27144): the ready queue clears a slot as it is
// taken.
class AsCompletedIterator<F extends Future<any>> implements AsyncIterableIterator<F> {
  readonly #pending = new Set<F>();
  #ready = new TaskQueue<F>();
  #yielded = 0;
  /**
   * Futures at the head of #ready to yield without looking at the deadline: those done at the first next(),
   * then those one wait collected (Python's as_completed yields each such batch whole).
   */
  #batch = 0;
  /** Set by the first next(): as Python's as_completed generator, the timeout counts from there. */
  #deadline = Number.NaN;
  readonly #timeout: number;
  #wake: (() => void) | undefined;
  #closed = false;
  /** The last next() call: a call made before it settles runs after it (as async generators queue them). */
  #previous: Promise<unknown> = Promise.resolve();
  readonly #onDone = (f: Future<any>): void => {
    if (!this.#pending.delete(f as F)) return;
    this.#ready.push(f as F);
    this.#wake?.();
  };

  constructor(futures: Set<F>, timeout: number) {
    this.#timeout = timeout;
    for (const f of futures) {
      if (f.done()) this.#ready.push(f);
      else this.#pending.add(f);
    }
    for (const f of this.#pending) f.addDoneCallback(this.#onDone);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<F, undefined>> {
    const result = this.#previous.then(() => this.#next());
    this.#previous = result.then(ignore, ignore);
    return result;
  }

  async #next(): Promise<IteratorResult<F, undefined>> {
    if (Number.isNaN(this.#deadline)) {
      const timeout = this.#timeout;
      this.#deadline = timeout === Number.POSITIVE_INFINITY ? timeout : performance.now() + timeout;
      this.#batch = this.#ready.length; // those done at the first next() come first, whatever the deadline
    }
    while (!this.#closed) {
      if (this.#batch > 0) {
        this.#batch--;
        this.#yielded++;
        return { value: this.#ready.shift()!, done: false };
      }
      // Futures not yielded yet, finished or not: the deadline is checked before each new batch.
      const n = this.#ready.length + this.#pending.size;
      if (n === 0) break;
      const left = this.#deadline - performance.now();
      if (left <= 0) {
        this.#close();
        throw new TimeoutError(
          `asCompleted: ${n} (of ${this.#yielded + n}) futures unfinished after ${this.#timeout} ms; ` +
            "they keep running (wait for them again, or cancel() them)",
        );
      }
      if (this.#ready.length === 0) {
        await new Promise<void>((resolve) => {
          let timer: LongTimer | undefined;
          this.#wake = () => {
            this.#wake = undefined;
            timer?.clear();
            resolve();
          };
          if (left !== Number.POSITIVE_INFINITY) timer = new LongTimer(this.#wake, left);
        });
      }
      this.#batch = this.#ready.length;
    }
    this.#close();
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<F, undefined>> {
    this.#close();
    return { value: undefined, done: true };
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.(); // a next() still waiting ends the iteration
    for (const f of this.#pending) removeDoneCallback(f, this.#onDone);
    this.#pending.clear();
    this.#ready = new TaskQueue<F>();
    this.#batch = 0;
  }
}

function ignore(): void {}
