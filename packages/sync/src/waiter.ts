/** Outcome of a wait on a shared word, as reported by `Atomics.wait`. */
export type WaitResult = "ok" | "not-equal" | "timed-out";

/**
 * How a primitive sleeps until a 32-bit word of its shared state changes, and how it wakes sleepers.
 * {@link atomicsWaiter} (Atomics.wait / Atomics.waitAsync) is the default; `@weft/native` supplies a
 * process-shared futex so primitives work across processes.
 *
 * Implementations must tolerate spurious wake-ups: every primitive re-checks its state after a wait.
 *
 * @example
 * ```ts
 * const counting: Waiter = {
 *   wait: (a, i, v, t) => atomicsWaiter.wait(a, i, v, t),
 *   waitAsync: (a, i, v, t) => atomicsWaiter.waitAsync(a, i, v, t),
 *   notify: (a, i, n) => atomicsWaiter.notify(a, i, n),
 * };
 * const lock = new Lock({ waiter: counting });
 * ```
 */
export interface Waiter {
  /** Blocks the calling thread while `i32[index] === expected`, for at most `timeoutMs` (Infinity: no limit). */
  wait(i32: Int32Array, index: number, expected: number, timeoutMs: number): WaitResult;
  /** Like {@link Waiter.wait} without blocking: the promise settles when woken, on mismatch or on timeout. */
  waitAsync(i32: Int32Array, index: number, expected: number, timeoutMs: number): Promise<WaitResult>;
  /** Wakes up to `count` waiters (Infinity: all) sleeping on `i32[index]`; returns how many were woken. */
  notify(i32: Int32Array, index: number, count: number): number;
}

/**
 * The default {@link Waiter}: `Atomics.wait`, `Atomics.waitAsync` and `Atomics.notify` on the thread's own
 * view of a SharedArrayBuffer. Works between the threads of one process.
 *
 * @example
 * ```ts
 * const i32 = new Int32Array(new SharedArrayBuffer(4));
 * atomicsWaiter.wait(i32, 0, 0, 10); // "timed-out" after 10 ms
 * ```
 */
export const atomicsWaiter: Waiter = sharedAtomicsWaiter();

// One object per thread, even when the ESM and CommonJS builds are both loaded: marshal recognises the
// default waiter by identity.
function sharedAtomicsWaiter(): Waiter {
  const key = Symbol.for("@weft/sync:atomicsWaiter");
  const g = globalThis as { [key]?: Waiter };
  const existing = g[key];
  if (existing !== undefined) return existing;
  const w: Waiter = {
    wait(i32, index, expected, timeoutMs) {
      return Atomics.wait(i32, index, expected, timeoutMs);
    },
    waitAsync(i32, index, expected, timeoutMs) {
      const r = Atomics.waitAsync(i32, index, expected, timeoutMs);
      return r.async ? r.value : Promise.resolve(r.value);
    },
    notify(i32, index, count) {
      return Atomics.notify(i32, index, count);
    },
  };
  g[key] = w;
  return w;
}
