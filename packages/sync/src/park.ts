import { beforeBlocking } from "./before-blocking.js";
import type { SharedState } from "./memory.js";
import { checkOptionKeys, kindOf, optionTypeError } from "./option-names.js";
import { checkTimeout } from "./timeouts.js";

/**
 * Options of every wait. `timeout` is in milliseconds (Infinity or absent: no limit); a wait that times out
 * resolves `false` (Python semantics). An aborted `signal` rejects the wait with `signal.reason`.
 *
 * @example
 * ```ts
 * const ok = await event.wait({ timeout: 100, signal: AbortSignal.timeout(1000) });
 * ```
 */
export interface WaitOptions {
  /** Milliseconds to wait at most; absent or Infinity waits forever. @example `{ timeout: 250 }` */
  timeout?: number;
  /** Aborting it rejects the pending wait with `signal.reason` and withdraws the waiter. @example `{ signal: AbortSignal.timeout(1000) }` */
  signal?: AbortSignal;
}

/** @internal A request to sleep while `i32[index] === expected`, until `deadline` (performance.now() ms). */
export interface Park {
  state: SharedState;
  index: number;
  expected: number;
  deadline: number;
}

/** @internal A wait algorithm: yields parks, receives false when the deadline passed, returns the result. */
export type Steps<T> = Generator<Park, T, boolean>;

/** @internal */
export function park(state: SharedState, index: number, expected: number, deadline: number): Park {
  return { state, index, expected, deadline };
}

const WAIT_OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ timeout: true, signal: true } satisfies Record<keyof WaitOptions, true>),
);

/**
 * @internal Validates the options (an object of known keys, a valid timeout); returns the absolute deadline
 * (performance.now() based).
 */
export function deadlineOf(who: string, opts: WaitOptions | undefined): number {
  if (opts === undefined) return Infinity;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw new TypeError(
      `${who}: options must be an object like { timeout, signal }, ` +
        (typeof opts === "number"
          ? `got the number ${opts}: pass { timeout: ${opts} }`
          : `got ${kindOf(opts)}`),
    );
  }
  checkOptionKeys(`${who} options`, opts, WAIT_OPTION_KEYS, optionTypeError);
  const t = opts.timeout;
  if (t === undefined) return Number.POSITIVE_INFINITY;
  return performance.now() + checkTimeout(`${who}: timeout`, t);
}

/** @internal Validates and returns the signal, if any. */
export function signalOf(who: string, opts: WaitOptions | undefined): AbortSignal | undefined {
  const s = opts?.signal;
  if (s === undefined) return undefined;
  if (!(s instanceof AbortSignal)) {
    throw new TypeError(`${who}: signal must be an AbortSignal, got ${kindOf(s)}`);
  }
  return s;
}

/** @internal Runs a wait algorithm, blocking the thread in each park. */
export function runSync<T>(steps: Steps<T>): T {
  let r = steps.next(true);
  while (!r.done) {
    const p = r.value;
    const st = p.state;
    const remaining = p.deadline - performance.now();
    if (remaining > 0) beforeBlocking();
    const ok = remaining > 0 && st.waiter.wait(st.i32, p.index, p.expected, remaining) !== "timed-out";
    r = steps.next(ok);
  }
  return r.value;
}

/**
 * @internal Runs a wait algorithm without blocking. On abort, the algorithm receives the reason as a throw
 * at its current park (so it can clean up, e.g. re-acquire a Condition's lock); later parks ignore the signal.
 */
export async function runAsync<T>(steps: Steps<T>, signal?: AbortSignal): Promise<T> {
  let r = steps.next(true);
  while (!r.done) {
    let ok: boolean;
    try {
      ok = await parkAsync(r.value, signal);
    } catch (reason) {
      signal = undefined;
      r = steps.throw(reason);
      continue;
    }
    r = steps.next(ok);
  }
  return r.value;
}

// Atomics.waitAsync does not keep Node's event loop alive; a pending wait holds this interval instead.
let holds = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;
function hold(): void {
  if (holds++ === 0) {
    if (keepAlive === undefined) keepAlive = setInterval(() => {}, 2 ** 30);
    else keepAlive.ref();
  }
}
function unhold(): void {
  if (--holds === 0) keepAlive?.unref();
}

/** Extra time our own timer allows before it withdraws a waiter whose native timeout did not fire. */
const GRACE_MS = 20;
const MAX_TIMER_MS = 0x7fffffff;
const FALSE: Promise<boolean> = Promise.resolve(false);

function parkAsync(p: Park, signal: AbortSignal | undefined): Promise<boolean> {
  const st = p.state;
  const remaining = p.deadline - performance.now();
  if (!(remaining > 0)) return FALSE;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const waiting = st.waiter.waitAsync(st.i32, p.index, p.expected, remaining);
  return new Promise<boolean>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      settled = true;
      if (timer === undefined) unhold();
      else clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    // The native wait cannot be cancelled; waking every sleeper on the word withdraws it (the others
    // re-check their condition and sleep again).
    const withdraw = (): void => {
      st.waiter.notify(st.i32, p.index, Number.POSITIVE_INFINITY);
    };
    const onAbort = (): void => {
      if (settled) return;
      finish();
      withdraw();
      reject(signal!.reason);
    };
    // Beyond setTimeout's range (~24.8 days) the native timeout alone ends the wait.
    if (remaining + GRACE_MS > MAX_TIMER_MS) hold();
    else {
      timer = setTimeout(() => {
        if (settled) return;
        finish();
        withdraw();
        resolve(false);
      }, remaining + GRACE_MS);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    waiting.then(
      (res) => {
        if (settled) return;
        finish();
        resolve(res !== "timed-out");
      },
      (err: unknown) => {
        if (settled) return;
        finish();
        reject(err);
      },
    );
  });
}

/**
 * @internal `acquire(options)` of Lock, RLock and Semaphore once options are given: validate (bad options
 * reject), honour an already aborted signal, try once, then wait.
 */
export function acquireAsyncWith<G>(
  who: string,
  options: WaitOptions,
  tryTake: () => G | false,
  steps: (deadline: number) => Steps<G | false>,
): Promise<G | false> {
  let signal: AbortSignal | undefined;
  let deadline: number;
  try {
    signal = signalOf(who, options);
    deadline = deadlineOf(who, options);
  } catch (e) {
    return Promise.reject(e);
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  let g: G | false;
  try {
    g = tryTake(); // throws AbandonedLockError when it took the primitive from a dead holder
  } catch (e) {
    return Promise.reject(e);
  }
  if (g !== false) return Promise.resolve(g);
  return runAsync(steps(deadline), signal);
}

/** @internal The blocking counterpart of {@link acquireAsyncWith} (bad options throw). */
export function acquireSyncWith<G>(
  who: string,
  options: WaitOptions,
  tryTake: () => G | false,
  steps: (deadline: number) => Steps<G | false>,
): G | false {
  const signal = signalOf(who, options);
  const deadline = deadlineOf(who, options);
  if (signal?.aborted) throw signal.reason;
  const g = tryTake();
  if (g !== false) return g;
  return runSync(steps(deadline));
}
