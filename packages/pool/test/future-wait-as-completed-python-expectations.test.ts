import {
  ALL_COMPLETED,
  asCompleted,
  CancelledError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  InvalidStateError,
  PoolOptionError,
  ThreadPoolExecutor,
  TimeoutError,
  wait,
} from "@weft/pool";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// CPython Lib/test/test_concurrent_futures/test_future.py (FutureTests), test_wait.py (WaitTests) and
// test_as_completed.py (AsCompletedTests), mapped to weft: create_future(state=...) -> a new Future brought
// to that state with the implementer's API, time.sleep(s) -> the sleepThen fixture (ms), result(timeout=0)
// -> result({ timeout: 0 }) (a promise), OSError -> an Error of the test's own. Python's CANCELLED future
// (cancelled, its executor not told yet) and CANCELLED_AND_NOTIFIED are one state in weft (the README's
// "Differences from Python": a cancelled future is done for done(), wait() and asCompleted() at once), so
// the expectations that tell them apart are ported with that difference, and say so.

class OSError extends Error {
  override name = "OSError";
}

function pending<T = number>(): Future<T> {
  return new Future<T>();
}
function running<T = number>(): Future<T> {
  const f = new Future<T>();
  f.setRunningOrNotifyCancel();
  return f;
}
function cancelled<T = number>(): Future<T> {
  const f = new Future<T>();
  f.cancel();
  return f;
}
function cancelledAndNotified<T = number>(): Future<T> {
  const f = new Future<T>();
  f.cancel();
  f.setRunningOrNotifyCancel();
  return f;
}
function failed<T = number>(error: unknown = new OSError()): Future<T> {
  const f = new Future<T>();
  f.setException(error);
  return f;
}
function successful(value = 42): Future<number> {
  const f = new Future<number>();
  f.setResult(value);
  return f;
}

function captureConsoleError<T>(fn: () => T): [T, unknown[][]] {
  const original = console.error;
  const logged: unknown[][] = [];
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    return [fn(), logged];
  } finally {
    console.error = original;
  }
}

const sleepThen = fixture<(ms: number, value: unknown) => Promise<unknown>>("sleepThen");
const add = fixture<(a: number, b: number) => number>("add");
const fail = fixture<(message: string) => never>("fail");

describe("FutureTests", () => {
  it("test_done_callback_with_result: the callback sees the result", async () => {
    let callbackResult: unknown;
    const f = pending();
    f.addDoneCallback((fut) => {
      fut.result().then((r) => (callbackResult = r));
    });
    f.setResult(5);
    await new Promise((r) => setImmediate(r));
    expect(callbackResult).toBe(5);
  });

  it("test_done_callback_with_exception: the callback sees the exception", async () => {
    let callbackException: unknown;
    const f = pending();
    f.addDoneCallback((fut) => {
      fut.exception().then((e) => (callbackException = e));
    });
    const error = new OSError("test");
    f.setException(error);
    await new Promise((r) => setImmediate(r));
    expect(callbackException).toBe(error);
  });

  it("test_done_callback_with_cancel: cancel() runs the callback, which sees cancelled()", () => {
    let wasCancelled: boolean | undefined;
    const f = pending();
    f.addDoneCallback((fut) => (wasCancelled = fut.cancelled()));
    expect(f.cancel()).toBe(true);
    expect(wasCancelled).toBe(true);
  });

  it("test_done_callback_raises: a callback's error is logged and the next callbacks still run", () => {
    let raisingWasCalled = false;
    let fnWasCalled = false;
    const f = pending();
    const [, logged] = captureConsoleError(() => {
      f.addDoneCallback(() => {
        raisingWasCalled = true;
        throw new RangeError("doh!");
      });
      f.addDoneCallback(() => (fnWasCalled = true));
      f.setResult(5);
    });
    expect(raisingWasCalled).toBe(true);
    expect(fnWasCalled).toBe(true);
    expect(logged).toHaveLength(1);
    expect(String(logged[0]!.at(-1))).toContain("doh!");
  });

  it("test_done_callback_already_successful: a callback added after the result runs at once", async () => {
    let callbackResult: unknown;
    const f = successful(5);
    f.addDoneCallback((fut) => {
      fut.result().then((r) => (callbackResult = r));
    });
    await new Promise((r) => setImmediate(r));
    expect(callbackResult).toBe(5);
  });

  it("test_done_callback_already_failed: a callback added after the exception runs at once", async () => {
    let callbackException: unknown;
    const error = new OSError("test");
    const f = failed(error);
    f.addDoneCallback((fut) => {
      fut.exception().then((e) => (callbackException = e));
    });
    await new Promise((r) => setImmediate(r));
    expect(callbackException).toBe(error);
  });

  it("test_done_callback_already_cancelled: a callback added after cancel() runs at once", () => {
    let wasCancelled: boolean | undefined;
    const f = pending();
    expect(f.cancel()).toBe(true);
    f.addDoneCallback((fut) => (wasCancelled = fut.cancelled()));
    expect(wasCancelled).toBe(true);
  });

  it("test_done_callback_raises_already_succeeded: a throwing callback on a done future is logged, not thrown", () => {
    const f = successful(5);
    const [, logged] = captureConsoleError(() =>
      f.addDoneCallback(() => {
        throw new RangeError("doh!");
      }),
    );
    expect(logged).toHaveLength(1);
    expect(String(logged[0]!.at(-1))).toContain("doh!");
  });

  it("a callback added by a callback while the future completes runs at once (the future is already done)", () => {
    const seen: string[] = [];
    const f = pending();
    f.addDoneCallback((fut) => {
      seen.push("outer");
      fut.addDoneCallback(() => seen.push("inner"));
      seen.push("outer end");
    });
    f.setResult(1);
    expect(seen).toEqual(["outer", "inner", "outer end"]);
  });

  it("add_done_callback(non-callable): refused at the call with a typed error naming what was given", async () => {
    // Python accepts it and logs the TypeError when the future completes; weft refuses it at once (bad input
    // gets a typed error), and the future is untouched.
    const f = pending();
    for (const [bad, got] of [
      [5, "number 5"],
      [null, "null"],
      ["cb", "string cb"],
      [{ call() {} }, "an object"],
    ] as const) {
      let thrown: unknown;
      try {
        f.addDoneCallback(bad as never);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(PoolOptionError);
      expect((thrown as PoolOptionError).code).toBe("ERR_WEFT_POOL_OPTION");
      expect((thrown as Error).message).toBe(
        `Future.addDoneCallback(fn): fn must be a function (future) => void, got ${got}`,
      );
    }
    f.setResult(1);
    expect(await f).toBe(1);
    expect(() => f.addDoneCallback(7 as never)).toThrow(PoolOptionError);
  });

  it("test_repr: pending, running, cancelled, cancelled (notified), finished raised, finished returned", () => {
    expect(String(pending())).toBe("Future <pending>");
    expect(String(running())).toBe("Future <running>");
    expect(String(cancelled())).toBe("Future <cancelled>");
    expect(String(cancelledAndNotified())).toBe("Future <cancelled>");
    expect(String(failed())).toBe("Future <finished raised OSError>");
    expect(String(successful())).toBe("Future <finished returned number>");
  });

  it("test_cancel: pending and cancelled futures cancel (true); running and finished ones do not", () => {
    const f1 = pending();
    const f2 = running();
    const f3 = cancelled();
    const f4 = cancelledAndNotified();
    const f5 = failed();
    const f6 = successful();
    expect(f1.cancel()).toBe(true);
    expect(f1.cancelled()).toBe(true);
    expect(f2.cancel()).toBe(false);
    expect(f2.running()).toBe(true);
    expect(f3.cancel()).toBe(true);
    expect(f3.cancelled()).toBe(true);
    expect(f4.cancel()).toBe(true);
    expect(f4.cancelled()).toBe(true);
    expect(f5.cancel()).toBe(false);
    expect(String(f5)).toBe("Future <finished raised OSError>");
    expect(f6.cancel()).toBe(false);
    expect(String(f6)).toBe("Future <finished returned number>");
  });

  it("test_cancelled / test_done / test_running: each state answers as Python's", () => {
    const states = [pending(), running(), cancelled(), cancelledAndNotified(), failed(), successful()];
    expect(states.map((f) => f.cancelled())).toEqual([false, false, true, true, false, false]);
    expect(states.map((f) => f.done())).toEqual([false, false, true, true, true, true]);
    expect(states.map((f) => f.running())).toEqual([false, true, false, false, false, false]);
  });

  it("test_result_with_timeout: timeout 0 on pending and running, CancelledError, the exception, 42", async () => {
    await expect(pending().result({ timeout: 0 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(running().result({ timeout: 0 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(cancelled().result({ timeout: 0 })).rejects.toBeInstanceOf(CancelledError);
    await expect(cancelledAndNotified().result({ timeout: 0 })).rejects.toBeInstanceOf(CancelledError);
    await expect(failed().result({ timeout: 0 })).rejects.toBeInstanceOf(OSError);
    expect(await successful().result({ timeout: 0 })).toBe(42);
  });

  it("test_result_with_success: a result set later reaches a waiting result()", async () => {
    const f1 = pending();
    setTimeout(() => f1.setResult(42), 50);
    expect(await f1.result({ timeout: 5000 })).toBe(42);
  });

  it("test_result_with_cancel: a cancel() later makes a waiting result() raise CancelledError", async () => {
    const f1 = pending();
    setTimeout(() => f1.cancel(), 50);
    await expect(f1.result({ timeout: 5000 })).rejects.toBeInstanceOf(CancelledError);
  });

  it("test_exception_with_timeout: timeout 0 on pending and running, CancelledError, the exception, none", async () => {
    await expect(pending().exception({ timeout: 0 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(running().exception({ timeout: 0 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(cancelled().exception({ timeout: 0 })).rejects.toBeInstanceOf(CancelledError);
    await expect(cancelledAndNotified().exception({ timeout: 0 })).rejects.toBeInstanceOf(CancelledError);
    expect(await failed().exception({ timeout: 0 })).toBeInstanceOf(OSError);
    expect(await successful().exception({ timeout: 0 })).toBeUndefined();
  });

  it("test_exception_with_success: an exception set later reaches a waiting exception()", async () => {
    const f1 = pending();
    setTimeout(() => f1.setException(new OSError()), 50);
    expect(await f1.exception({ timeout: 5000 })).toBeInstanceOf(OSError);
  });

  it("test_multiple_set_result: a second setResult is InvalidStateError and the first result stays", async () => {
    const f = pending();
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(f.done()).toBe(true);
    expect(await f.result()).toBe(1);
  });

  it("test_multiple_set_exception: a second setException is InvalidStateError and the first stays", async () => {
    const f = pending();
    const e = new RangeError();
    f.setException(e);
    expect(() => f.setException(new Error())).toThrow(InvalidStateError);
    expect(f.done()).toBe(true);
    expect(await f.exception()).toBe(e);
  });

  it("set_result / set_exception on a cancelled future are InvalidStateError (bpo-33238)", async () => {
    const f = cancelled();
    expect(() => f.setResult(1)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error())).toThrow(InvalidStateError);
    expect(f.cancelled()).toBe(true);
    await expect(f.result()).rejects.toBeInstanceOf(CancelledError);
  });

  it("set_running_or_notify_cancel: true once for a pending future, then (running, finished) InvalidStateError", () => {
    const f = pending();
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect(f.running()).toBe(true);
    expect(() => f.setRunningOrNotifyCancel()).toThrow(InvalidStateError);
    f.setResult(1);
    expect(() => f.setRunningOrNotifyCancel()).toThrow(InvalidStateError);
    expect(() => failed().setRunningOrNotifyCancel()).toThrow(InvalidStateError);
    expect(cancelled().setRunningOrNotifyCancel()).toBe(false);
  });
});

describe("WaitTests / AsCompletedTests (ThreadPoolExecutor)", () => {
  // As Python's ExecutorMixin: a fresh executor of 5 workers per test, primed (_prime_executor: one short
  // task per worker, so that every worker has started before the test), and stopped after it (killWorkers:
  // the long sleeps some tests leave running are not waited for).
  let executor: ThreadPoolExecutor;
  beforeEach(async () => {
    executor = new ThreadPoolExecutor({ maxWorkers: 5 });
    await Promise.all(Array.from({ length: 5 }, () => executor.submit(sleepThen, 100, null)));
    expect(executor.stats.workers).toBe(5);
  });
  afterEach(async () => {
    await executor.killWorkers();
  });

  it("test_20369: the same future twice in wait() is one future in done", async () => {
    const future = executor.submit(sleepThen, 150, null);
    const { done, notDone } = await wait([future, future], { returnWhen: ALL_COMPLETED });
    expect(done).toEqual(new Set([future]));
    expect(notDone).toEqual(new Set());
  });

  it("test_first_completed: the quick future is done, the slow one is not (a cancelled one: done in weft)", async () => {
    const future1 = executor.submit(add, 21, 2);
    const future2 = executor.submit(sleepThen, 1500, null);
    const c = cancelled();
    // Python: done == {future1}, not_done == {CANCELLED_FUTURE, future2}. In weft the cancelled future is
    // done already (documented difference), so FIRST_COMPLETED returns at once with it; without it, weft
    // gives Python's sets.
    const first = await wait([c, future1, future2], { returnWhen: FIRST_COMPLETED });
    expect(first.done.has(c)).toBe(true);
    expect(first.notDone.has(future2)).toBe(true);
    const { done, notDone } = await wait([future1, future2], { returnWhen: FIRST_COMPLETED });
    expect(done).toEqual(new Set([future1]));
    expect(notDone).toEqual(new Set([future2]));
  });

  it("test_first_completed_some_already_completed: the done ones return at once", async () => {
    const future1 = executor.submit(sleepThen, 1500, null);
    const cn = cancelledAndNotified();
    const ok = successful();
    const { done, notDone } = await wait([cn, ok, future1], { returnWhen: FIRST_COMPLETED });
    expect(done).toEqual(new Set([cn, ok]));
    expect(notDone).toEqual(new Set([future1]));
  });

  it("test_first_exception: returns at the first failure, with the results before it", async () => {
    const future1 = executor.submit(add, 2, 21);
    const future2 = executor.submit(async (ms: number) => {
      await new Promise((r) => setTimeout(r, ms));
      throw new Error("sleep_and_raise");
    }, 300);
    const future3 = executor.submit(sleepThen, 3000, null);
    const { done, notDone } = await wait([future1, future2, future3], { returnWhen: FIRST_EXCEPTION });
    expect(done).toEqual(new Set([future1, future2]));
    expect(notDone).toEqual(new Set([future3]));
  });

  it("test_first_exception_some_already_complete: a failure among done and pending ones", async () => {
    const future1 = executor.submit(fail, "divmod(21, 0)");
    const future2 = executor.submit(sleepThen, 1500, null);
    const ok = successful();
    const c = cancelled();
    const cn = cancelledAndNotified();
    const { done, notDone } = await wait([ok, c, cn, future1, future2], { returnWhen: FIRST_EXCEPTION });
    // Python leaves CANCELLED_FUTURE in not_done (documented difference: one cancelled state).
    expect(done).toEqual(new Set([ok, c, cn, future1]));
    expect(notDone).toEqual(new Set([future2]));
  });

  it("test_first_exception_one_already_failed: an already failed future returns at once", async () => {
    const future1 = executor.submit(sleepThen, 2000, null);
    const bad = failed();
    const { done, notDone } = await wait([bad, future1], { returnWhen: FIRST_EXCEPTION });
    expect(done).toEqual(new Set([bad]));
    expect(notDone).toEqual(new Set([future1]));
  });

  it("test_all_completed: done, cancelled, failed and submitted futures all end in done", async () => {
    const future1 = executor.submit(fail, "divmod(2, 0)");
    const future2 = executor.submit(add, 2, 20);
    const fs = [successful(), cancelledAndNotified(), failed(), future1, future2];
    const { done, notDone } = await wait(fs, { returnWhen: ALL_COMPLETED });
    expect(done).toEqual(new Set(fs));
    expect(notDone).toEqual(new Set());
  });

  it("test_timeout: after the timeout, the finished ones are done and the slow one is not", async () => {
    const future1 = executor.submit(add, 6, 36);
    const future2 = executor.submit(sleepThen, 3000, null);
    const known = [cancelledAndNotified(), failed(), successful()];
    const { done, notDone } = await wait([...known, future1, future2], {
      timeout: 1000,
      returnWhen: ALL_COMPLETED,
    });
    expect(done).toEqual(new Set([...known, future1]));
    expect(notDone).toEqual(new Set([future2]));
  });

  it("wait([]) returns two empty sets at once, whatever returnWhen", async () => {
    for (const returnWhen of [FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED] as const) {
      const { done, notDone } = await wait([], { returnWhen });
      expect([done.size, notDone.size]).toEqual([0, 0]);
    }
  });

  it("test_no_timeout (as_completed): every future, done before or during the loop, is yielded", async () => {
    const future1 = executor.submit(add, 2, 21);
    const future2 = executor.submit(add, 7, 6);
    const fs = [cancelledAndNotified(), failed(), successful(), future1, future2];
    const completed = new Set<Future<number>>();
    for await (const f of asCompleted(fs)) completed.add(f as unknown as Future<number>);
    expect(completed).toEqual(new Set(fs));
  });

  for (const timeout of [0, 10]) {
    it(`test_future_times_out (timeout ${timeout}): the done futures are yielded, then TimeoutError`, async () => {
      const alreadyCompleted = [cancelledAndNotified(), failed(), successful()];
      const future = pending();
      const completed = new Set<unknown>();
      await expect(
        (async () => {
          for await (const f of asCompleted([...alreadyCompleted, future], { timeout })) completed.add(f);
        })(),
      ).rejects.toBeInstanceOf(TimeoutError);
      expect(completed).toEqual(new Set(alreadyCompleted));
    });
  }

  it("test_duplicate_futures: a future given three times is yielded once", async () => {
    const future1 = executor.submit(sleepThen, 200, null);
    const completed: unknown[] = [];
    for await (const f of asCompleted([future1, future1, future1])) completed.push(f);
    expect(completed).toHaveLength(1);
  });

  it("test_correct_timeout_exception_msg: '2 (of 5) futures unfinished'", async () => {
    const futures = [pending(), running(), cancelledAndNotified(), failed(), successful()];
    const err = await (async () => {
      for await (const _ of asCompleted(futures, { timeout: 0 })) {
        // drain
      }
    })().catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(String(err.message)).toContain("2 (of 5) futures unfinished");
  });
});
