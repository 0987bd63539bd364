import { TimeoutError } from "./errors.js";
import { type Future, futureFailed as failed, removeDoneCallback } from "./future.js";

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
  /** Milliseconds to wait at most; when they pass, `wait` returns what is done so far (it does not throw). */
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
  /** Milliseconds from the call; the iterator throws {@link TimeoutError} if futures remain after that. */
  timeout?: number;
}

function checkTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && !(timeout >= 0)) {
    throw new RangeError(`timeout must be a number of milliseconds >= 0, got ${timeout}`);
  }
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
  options: WaitOptions = {},
): Promise<DoneAndNotDone<F>> {
  const { timeout, returnWhen = ALL_COMPLETED } = options;
  checkTimeout(timeout);
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new TypeError(
      `returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got ${String(returnWhen)}`,
    );
  }
  const all = new Set(futures);
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      for (const f of notDone) removeDoneCallback(f, onDone);
      resolve({ done, notDone });
    };
    const onDone = (f: Future<any>): void => {
      notDone.delete(f as F);
      done.add(f as F);
      if (failed(f)) anyFailed = true;
      if (satisfied()) finish();
    };
    if (timeout !== undefined) timer = setTimeout(finish, timeout);
    for (const f of [...notDone]) f.addDoneCallback(onDone);
  });
}

/**
 * Yields futures as they complete (finish or are cancelled), those already done first (Python's
 * `concurrent.futures.as_completed`). Duplicates are yielded once. With `timeout`, throws
 * {@link TimeoutError} if some remain when it expires. (A hand-written iterator, not an async generator:
 * a generator would await each yielded future and give results instead of futures.)
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
  options: AsCompletedOptions = {},
): AsyncIterableIterator<F> {
  const { timeout } = options;
  checkTimeout(timeout);
  return new AsCompletedIterator(futures, timeout);
}

class AsCompletedIterator<F extends Future<any>> implements AsyncIterableIterator<F> {
  readonly #pending = new Set<F>();
  readonly #ready: F[] = [];
  #head = 0;
  readonly #deadline: number | undefined;
  readonly #timeout: number | undefined;
  #wake: (() => void) | undefined;
  #closed = false;
  readonly #onDone = (f: Future<any>): void => {
    if (!this.#pending.delete(f as F)) return;
    this.#ready.push(f as F);
    this.#wake?.();
  };

  constructor(futures: Iterable<F>, timeout: number | undefined) {
    this.#timeout = timeout;
    this.#deadline = timeout === undefined ? undefined : Date.now() + timeout;
    for (const f of new Set(futures)) {
      if (f.done()) this.#ready.push(f);
      else this.#pending.add(f);
    }
    for (const f of this.#pending) f.addDoneCallback(this.#onDone);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<F, undefined>> {
    while (!this.#closed) {
      if (this.#head < this.#ready.length) return { value: this.#ready[this.#head++]!, done: false };
      if (this.#pending.size === 0) break;
      const left = this.#deadline === undefined ? undefined : this.#deadline - Date.now();
      if (left !== undefined && left <= 0) {
        const n = this.#pending.size;
        this.#close();
        throw new TimeoutError(`${n} (of ${this.#head + n}) futures unfinished after ${this.#timeout} ms`);
      }
      await new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        this.#wake = () => {
          this.#wake = undefined;
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
        if (left !== undefined) timer = setTimeout(this.#wake, left);
      });
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
    for (const f of this.#pending) removeDoneCallback(f, this.#onDone);
    this.#pending.clear();
  }
}
