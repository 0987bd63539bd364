import { LongTimer } from "@weft/sync/extension";
import { describeNonObject } from "./describe-non-object.js";
import { CancelledError, PoolOptionError } from "./errors.js";
import { InvalidStateError, TimeoutError } from "./interop.js";
import { checkOptions } from "./options.js";
import { anchorShape } from "./shape-anchors.js";
import { timeoutOption } from "./timeout-option.js";

const PENDING = 0;
const RUNNING = 1;
const CANCELLED = 2;
const FINISHED = 3;
const FAILED = 4;

/**
 * What an executor tells a {@link Future} about the task behind it: whether it has started, and a way to
 * withdraw it before it starts. Implemented by the executor core; user code never needs it.
 */
export interface TaskControl {
  /** Withdraws the task if it has not started. Returns true when it will never run. */
  cancel(): boolean;
  /** True while the task runs. */
  running(): boolean;
  /**
   * Someone waits for the future (`await`, `then`, `result()`, `exception()`, `addDoneCallback`): called at
   * most once per wait while it is not done. Optional.
   */
  observed?(): void;
}

/** Callback given to {@link Future.addDoneCallback}. */
export type DoneCallback<R> = (future: Future<R>) => void;

/** Options of {@link Future.result} and {@link Future.exception}. */
export interface FutureWaitOptions {
  /**
   * Milliseconds to wait before rejecting with {@link TimeoutError}; the future keeps running. Any finite
   * value waits at least that long (also beyond setTimeout's ~24.8 days); `Infinity` or leaving it out waits
   * without limit; anything else rejects with InvalidTimeoutError.
   */
  timeout?: number;
  /** Stops waiting (rejects with the signal's reason); the future keeps running. */
  signal?: AbortSignal;
}

const FUTURE_WAIT_KEYS = new Set<string>(
  Object.keys({ timeout: true, signal: true } satisfies Record<keyof FutureWaitOptions, true>),
);
/** `options` of result()/exception(): an object of known keys, `signal` an AbortSignal (timeout is checked apart). */
function checkFutureWaitOptions(who: string, options: unknown): void {
  checkOptions(`${who} options`, options, FUTURE_WAIT_KEYS);
  const { signal } = options as FutureWaitOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new PoolOptionError(
      `${who}: signal must be an AbortSignal, got ${signal === null ? "null" : typeof signal}`,
    );
  }
}

let bindControl: (future: Future<any>, control: TaskControl) => void;
let settle: (future: Future<any>, ok: boolean, value: unknown) => boolean;
let removeCallback: (future: Future<any>, fn: DoneCallback<any>) => void;
let hasFailed: (future: Future<any>) => boolean;

function notDoneWithin(who: string, timeout: number): TimeoutError {
  return new TimeoutError(
    `${who}: the future was not done within ${timeout} ms; its task keeps running ` +
      "(wait again, with a longer timeout, or cancel() it)",
  );
}

/** Python's `type(value).__name__` for a JavaScript value: `number`, `null`, `Array`, `TypeError`, ... */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object" && typeof value !== "function") return typeof value;
  let ctor: unknown;
  try {
    ctor = (value as { constructor?: unknown }).constructor;
  } catch {
    ctor = undefined; // a revoked proxy, or a throwing getter
  }
  const name = typeof ctor === "function" ? (ctor as { name?: unknown }).name : undefined;
  return typeof name === "string" && name !== "" ? name : typeof value;
}

function runCallback<R>(fn: DoneCallback<R>, future: Future<R>): void {
  try {
    fn(future);
  } catch (err) {
    // Python's concurrent.futures logs and ignores exceptions raised by done callbacks.
    console.error("exception calling a Future done callback:", err);
  }
}

/**
 * The eventual outcome of a task (Python's `concurrent.futures.Future`). It is thenable, so `await future`
 * gives the result or throws the task's error; `result()`/`exception()` add timeouts; `cancel()` withdraws a
 * task that has not started. Executors create futures; `new Future()` with `setResult`/`setException` is for
 * writing your own executor or for tests.
 *
 * @example
 * ```ts
 * const future = pool.submit((a: number, b: number) => a + b, 1, 2);
 * future.addDoneCallback((f) => console.log("done", f.done()));
 * console.log(await future); // 3
 * ```
 */
export class Future<R> implements PromiseLike<R> {
  #state = PENDING;
  #value: unknown;
  #callbacks: DoneCallback<R> | DoneCallback<R>[] | undefined;
  #promise: Promise<R> | undefined;
  #resolve: ((value: R) => void) | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  #control: TaskControl | undefined;

  static {
    bindControl = (future, control) => {
      future.#control = control;
    };
    settle = (future, ok, value) => future.#settle(ok ? FINISHED : FAILED, value);
    removeCallback = (future, fn) => future.#removeCallback(fn);
    hasFailed = (future) => future.#state === FAILED;
  }

  /** Attempts to cancel: true if the future is (now) cancelled, false if it is running or done. */
  cancel(): boolean {
    const state = this.#state;
    if (state === CANCELLED) return true;
    if (state !== PENDING) return false;
    const control = this.#control;
    if (control !== undefined && !control.cancel()) return false;
    this.#settle(CANCELLED, undefined);
    return true;
  }

  /** True if the future was cancelled. */
  cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /** True while the task runs (it has started and not finished). */
  running(): boolean {
    const state = this.#state;
    if (state === RUNNING) return true;
    return state === PENDING && this.#control !== undefined && this.#control.running();
  }

  /** True once the future has a result or an exception, or was cancelled. */
  done(): boolean {
    return this.#state >= CANCELLED;
  }

  /**
   * Waits for the result. Rejects with the task's error, {@link CancelledError} if cancelled, or
   * {@link TimeoutError} when `timeout` ms pass first (the task keeps running).
   */
  result(options?: FutureWaitOptions): Promise<R> {
    if (options === undefined && this.#state >= CANCELLED) return this.#ensurePromise();
    return this.#waitDone(options, "Future.result").then(() => this.#ensurePromise());
  }

  /**
   * Waits for the outcome and returns the task's error, or undefined if it succeeded. Rejects with
   * {@link CancelledError} if cancelled, or {@link TimeoutError} when `timeout` ms pass first.
   *
   * Pitfall: JavaScript can throw any value, `undefined` too (Python cannot raise `None`); a task that does
   * also gives `undefined` here. `await future` (it rejects) and `String(future)` (`finished raised
   * undefined`) tell the two apart.
   *
   * @example
   * ```ts
   * const f = pool.submit(() => { throw new RangeError("no"); });
   * console.log(await f.exception()); // RangeError: no
   * ```
   */
  async exception(options?: FutureWaitOptions): Promise<unknown> {
    await this.#waitDone(options, "Future.exception");
    if (this.#state === CANCELLED) throw new CancelledError();
    return this.#state === FAILED ? this.#value : undefined;
  }

  /**
   * Calls `fn(future)` when the future is done (at once if it already is). Callbacks run in the order they
   * were added; one that throws is logged and does not stop the others.
   */
  addDoneCallback(fn: DoneCallback<R>): void {
    if (typeof fn !== "function") {
      const got =
        typeof fn === "object" && fn !== null && !Array.isArray(fn) ? "an object" : describeNonObject(fn);
      throw new PoolOptionError(
        `Future.addDoneCallback(fn): fn must be a function (future) => void, got ${got}`,
      );
    }
    if (this.#state >= CANCELLED) {
      runCallback(fn, this);
      return;
    }
    this.#control?.observed?.();
    const cbs = this.#callbacks;
    if (cbs === undefined) this.#callbacks = fn;
    else if (typeof cbs === "function") this.#callbacks = [cbs, fn];
    else cbs.push(fn);
  }

  /**
   * Marks the future as running unless it was cancelled (for executor implementers): returns false if it
   * was cancelled, true if it is now running; throws {@link InvalidStateError} otherwise.
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === CANCELLED) return false;
    if (this.#state !== PENDING) throw new InvalidStateError(`future is ${this.#stateName()}, not pending`);
    this.#state = RUNNING;
    return true;
  }

  /** Completes the future with a value (for executor implementers); throws if it is already done. */
  setResult(value: R): void {
    if (!this.#settle(FINISHED, value)) {
      throw new InvalidStateError(`cannot set the result of a future that is already ${this.#stateName()}`);
    }
  }

  /** Completes the future with an error (for executor implementers); throws if it is already done. */
  setException(error: unknown): void {
    if (!this.#settle(FAILED, error)) {
      throw new InvalidStateError(
        `cannot set the exception of a future that is already ${this.#stateName()}`,
      );
    }
  }

  /** Promise interface: `await future` resolves to the result or throws the error. */
  // biome-ignore lint/suspicious/noThenProperty: a Future is deliberately thenable (await future).
  then<A = R, B = never>(
    onfulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: any) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#ensurePromise().then(onfulfilled, onrejected);
  }

  /** Promise interface: like `Promise.prototype.catch`. */
  catch<B = never>(onrejected?: ((reason: any) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.#ensurePromise().catch(onrejected);
  }

  /** Promise interface: like `Promise.prototype.finally`. */
  finally(onfinally?: (() => void) | null): Promise<R> {
    return this.#ensurePromise().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return `Future ${this.#stateName()}`;
  }

  /**
   * Python's repr, without the address: `Future <pending>`, `Future <running>`, `Future <cancelled>`,
   * `Future <finished returned number>`, `Future <finished raised TypeError>` (the type of the result or the
   * class of the error, never its contents).
   *
   * @example
   * ```ts
   * const f = pool.submit((a: number, b: number) => a + b, 1, 2);
   * await f;
   * console.log(String(f)); // Future <finished returned number>
   * ```
   */
  toString(): string {
    if (this.#state === FINISHED) return `Future <finished returned ${typeName(this.#value)}>`;
    if (this.#state === FAILED) return `Future <finished raised ${typeName(this.#value)}>`;
    return `Future <${this.#stateName()}>`;
  }

  /** `util.inspect(future)` and `console.log(future)` show {@link Future.toString}'s text. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  #stateName(): string {
    return ["pending", "running", "cancelled", "finished", "failed"][this.running() ? RUNNING : this.#state]!;
  }

  #settle(state: number, value: unknown): boolean {
    if (this.#state >= CANCELLED) return false;
    this.#state = state;
    this.#value = value;
    this.#control = undefined;
    if (this.#resolve !== undefined) {
      if (state === FINISHED) this.#resolve(value as R);
      else this.#reject!(state === CANCELLED ? new CancelledError() : value);
      this.#resolve = this.#reject = undefined;
    }
    const cbs = this.#callbacks;
    if (cbs !== undefined) {
      this.#callbacks = undefined;
      if (typeof cbs === "function") runCallback(cbs, this);
      else for (let i = 0; i < cbs.length; i++) runCallback(cbs[i]!, this);
    }
    return true;
  }

  #removeCallback(fn: DoneCallback<R>): void {
    const cbs = this.#callbacks;
    if (cbs === fn) this.#callbacks = undefined;
    else if (Array.isArray(cbs)) {
      const i = cbs.indexOf(fn);
      if (i >= 0) cbs.splice(i, 1);
    }
  }

  #ensurePromise(): Promise<R> {
    let p = this.#promise;
    if (p !== undefined) return p;
    const state = this.#state;
    if (state === FINISHED) p = Promise.resolve(this.#value as R);
    else if (state === FAILED) p = Promise.reject(this.#value);
    else if (state === CANCELLED) p = Promise.reject(new CancelledError());
    else {
      p = new Promise<R>((resolve, reject) => {
        this.#resolve = resolve;
        this.#reject = reject;
      });
      this.#control?.observed?.();
    }
    this.#promise = p;
    return p;
  }

  #waitDone(options: FutureWaitOptions | undefined, who: string): Promise<void> {
    let timeout: number;
    try {
      if (options !== undefined) checkFutureWaitOptions(who, options);
      timeout = timeoutOption(who, options?.timeout);
    } catch (err) {
      return Promise.reject(err);
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#state >= CANCELLED) return Promise.resolve();
    if (timeout === 0) return Promise.reject(notDoneWithin(who, 0));
    return new Promise<void>((resolve, reject) => {
      let timer: LongTimer | undefined;
      const finish = (): void => {
        timer?.clear();
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const stop = (err: unknown): void => {
        removeCallback(this, finish);
        signal?.removeEventListener("abort", onAbort);
        timer?.clear();
        reject(err);
      };
      const onAbort = (): void => stop(signal!.reason);
      if (timeout !== Number.POSITIVE_INFINITY) {
        timer = new LongTimer(() => stop(notDoneWithin(who, timeout)), timeout);
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.addDoneCallback(finish);
    });
  }
}

// Its hidden class must outlive idle periods (see shape-anchors.ts).
anchorShape(new Future<unknown>());

/** Internal: lets the executor core attach its task control to a future. */
export function bindTaskControl(future: Future<any>, control: TaskControl): void {
  bindControl(future, control);
}

/** Internal: settles a future without throwing; false if it was already done (e.g. cancelled). */
export function settleFuture(future: Future<any>, ok: boolean, value: unknown): boolean {
  return settle(future, ok, value);
}

/** Internal: removes a done callback that was added and is no longer wanted (abandoned waits). */
export function removeDoneCallback(future: Future<any>, fn: DoneCallback<any>): void {
  removeCallback(future, fn);
}

/** Internal: true when the future finished with an exception (not cancelled). */
export function futureFailed(future: Future<any>): boolean {
  return hasFailed(future);
}
