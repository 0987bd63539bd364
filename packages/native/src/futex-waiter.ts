import { types } from "node:util";
import type { Waiter } from "@weft/sync";
import { binding } from "./binding.js";

type WaitResult = "ok" | "not-equal" | "timed-out";

const results: readonly WaitResult[] = ["ok", "not-equal", "timed-out"];
/** With an AbortSignal, async waits sleep in slices this long so an abort is seen promptly. */
const abortSliceMs = 50;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The wait was aborted", "AbortError");
}

/**
 * Throws the TypeError Atomics.wait gives for memory that is not shared (no other thread or process could
 * change or notify it); the binding checks the rest (type, index).
 */
function checkShared(i32: Int32Array): void {
  const buffer = (i32 as { buffer?: unknown } | null | undefined)?.buffer;
  if (buffer !== undefined && !types.isSharedArrayBuffer(buffer)) {
    throw new TypeError(
      "futexWaiter: expected an Int32Array over shared memory (a SharedArrayBuffer or SharedMemory.buffer), " +
        "got one over a plain ArrayBuffer, which no other thread or process can change or notify",
    );
  }
}

async function slicedWait(
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<WaitResult> {
  const native = binding();
  const forever = !(timeoutMs >= 0) || timeoutMs === Number.POSITIVE_INFINITY;
  const deadline = forever ? 0 : performance.now() + timeoutMs;
  let first = true;
  for (;;) {
    if (signal.aborted) throw abortError(signal);
    const left = forever ? abortSliceMs : Math.max(0, deadline - performance.now());
    const r = results[await native.futexWaitAsync(i32, index, expected, Math.min(left, abortSliceMs))]!;
    if (r === "ok") return r;
    // The value moved between two slices: whoever moved it may already have notified. Report a wake-up
    // (callers re-check their state after "ok"), except on the first slice where "not-equal" is exact.
    if (r === "not-equal") return first ? r : "ok";
    if (!forever && performance.now() >= deadline) return "timed-out";
    first = false;
  }
}

/**
 * A process-shared futex {@link Waiter} for `@weft/sync`: `wait` blocks the calling thread in
 * `FUTEX_WAIT` (no `FUTEX_PRIVATE_FLAG`, so a wake from another process that maps the same shared memory
 * reaches it), `waitAsync` runs the same wait on a thread of its own and resolves a Promise, `notify` is
 * `FUTEX_WAKE`. Primitives placed in {@link SharedMemory} use it automatically.
 *
 * Semantics follow `Atomics.wait`: "not-equal" when the slot no longer holds `expected`, "timed-out" after
 * `timeoutMs` (NaN or Infinity = forever), "ok" when woken (possibly spuriously: re-check your state). As
 * `Atomics.wait`, a wait on memory that is not shared throws a TypeError.
 * Each pending `waitAsync` keeps the event loop alive until it is woken or times out (not libuv's pool: it
 * never starves fs or dns); a worker that ends or is terminated drops its pending waits. Pass an
 * `AbortSignal` as fifth argument to abandon it.
 *
 * @example
 * ```ts
 * import { futexWaiter, SharedMemory } from "@weft/native";
 * const shm = SharedMemory.create(4096);
 * const i32 = new Int32Array(shm.buffer, shm.allocate(4), 1);
 * const woken = futexWaiter.waitAsync(i32, 0, 0, 1000);
 * Atomics.store(i32, 0, 1);
 * futexWaiter.notify(i32, 0, 1);
 * console.log(await woken); // "ok" (or "not-equal" if the store came first)
 * ```
 */
export const futexWaiter: Waiter & {
  waitAsync(
    i32: Int32Array,
    index: number,
    expected: number,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<WaitResult>;
} = {
  wait(i32: Int32Array, index: number, expected: number, timeoutMs = Number.POSITIVE_INFINITY): WaitResult {
    checkShared(i32);
    return results[binding().futexWait(i32, index, expected, timeoutMs)]!;
  },
  waitAsync(
    i32: Int32Array,
    index: number,
    expected: number,
    timeoutMs = Number.POSITIVE_INFINITY,
    signal?: AbortSignal,
  ): Promise<WaitResult> {
    checkShared(i32);
    if (signal) return slicedWait(i32, index, expected, timeoutMs, signal);
    return binding()
      .futexWaitAsync(i32, index, expected, timeoutMs)
      .then((r) => results[r]!);
  },
  notify(i32: Int32Array, index: number, count = Number.POSITIVE_INFINITY): number {
    return binding().futexWake(i32, index, count);
  },
};
