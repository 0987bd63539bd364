// The Executor contract, run against every executor kind (CPython's `create_executor_tests` model): each
// package that ships an Executor calls `describeExecutorContract` from one small test file. Tasks here are
// self-contained functions (sent as source), so the suite needs no fixture module of either package.

import {
  ALL_COMPLETED,
  asCompleted,
  CancelledError,
  type Executor,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  NotInTaskError,
  PoolOptionError,
  type RunningTask,
  ShutdownError,
  TaskTimeoutError,
  WorkerTerminatedError,
  wait,
} from "@weft/pool";
import { InvalidTimeoutError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./test-support.js";

/**
 * Makes a fresh executor with at most `maxWorkers` workers (and the grace `killAfter` and the `taskTimeout`,
 * when given).
 */
export type MakeExecutor = (options: {
  maxWorkers: number;
  killAfter?: number;
  taskTimeout?: number;
}) => Executor;

// The worker provides `currentTask` to self-contained functions (no import: the function is sent as source).
declare const currentTask: () => RunningTask;

/**
 * Waits (asynchronously) until its task is asked to stop, then throws the signal's reason, as a task should.
 * It checks `aborted` before it listens: a task asked to stop before it first reads its signal gets one that
 * has aborted already, and an AbortSignal's `abort` event never comes again.
 */
export const honour = async (): Promise<string> => {
  const { signal } = currentTask();
  if (!signal.aborted) {
    await new Promise((resolve) => {
      signal.addEventListener("abort", resolve, { once: true });
      setTimeout(resolve, 30_000);
    });
  }
  signal.throwIfAborted();
  return "never asked";
};
/** Ignores its signal: keeps the worker busy for `ms`, yielding to the event loop. */
const ignore = async (ms: number): Promise<string> => {
  currentTask().signal.addEventListener("abort", () => {});
  await new Promise((resolve) => setTimeout(resolve, ms));
  return "ignored";
};
/**
 * Never yields to its event loop: spins until asked to stop, polling `currentTask().throwIfStopRequested()`
 * (only shared memory can tell it), so it throws the stop's reason. Gives up after 10 s.
 */
const spinUntilStopped = (): string => {
  const task = currentTask();
  const end = Date.now() + 10_000;
  while (Date.now() < end) task.throwIfStopRequested();
  return "never asked";
};
/** Never yields: spins until `stopRequested` and `signal.aborted` say stop, returns what the signal says. */
const spinAndReport = (): string => {
  const task = currentTask();
  const end = Date.now() + 10_000;
  while (!task.stopRequested && Date.now() < end) {
    // spin
  }
  const signal = task.signal;
  if (!signal.aborted) return "never asked";
  try {
    signal.throwIfAborted();
  } catch (thrown) {
    if (thrown !== signal.reason) return "threw another reason";
  }
  return (signal.reason as Error).name;
};
/** Never yields: spins until `signal.aborted` (read on every turn) says stop, returns the reason's name. */
const spinOnSignal = (): string => {
  const { signal } = currentTask();
  const end = Date.now() + 10_000;
  while (!signal.aborted && Date.now() < end) {
    // spin
  }
  return signal.aborted ? (signal.reason as Error).name : "never asked";
};
/** A mark of the worker it runs on (the same value while that worker lives). */
const workerMark = (): number => {
  const g = globalThis as { __weftMark?: number };
  g.__weftMark ??= Math.random();
  return g.__weftMark;
};
/** What the worker-side signal saw, reported after it aborted (checked first, as in honour). */
const reportAbort = async (): Promise<string> => {
  const { signal } = currentTask();
  if (!signal.aborted) {
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  }
  const reason = signal.reason as Error;
  return `${reason.name}: ${reason.message}`;
};

/** Busy-waits `ms` in the worker (blocks it: nothing else can start there meanwhile), returns `value`. */
const spin = <T>(ms: number, value: T): T => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
  return value;
};
const double = (x: number) => x * 2;
const add = (a: number, b: number) => a + b;

/**
 * Runs `task` on `ex` (one worker) with `options` (a 50 ms `timeout`, or none when the executor's
 * `taskTimeout` is 50 ms): it must fail with a TaskTimeoutError of 50 ms and leave its worker serving.
 */
async function timesOutKeepingWorker(ex: Executor, task: () => unknown, options: { timeout?: number }) {
  const mark = await ex.submit(workerMark);
  const err = await ex.submitWith(options, task).exception();
  expect(err).toBeInstanceOf(TaskTimeoutError);
  expect((err as TaskTimeoutError).timeout).toBe(50);
  expect(await ex.submit(workerMark)).toBe(mark);
}

/**
 * Runs `task` on a fresh one-worker executor (killAfter 20 s) and, once it runs, calls `stop` on the
 * executor: the task must end (before killAfter) failing with an `error`.
 */
async function stoppedWhileRunning(
  make: MakeExecutor,
  task: () => unknown,
  stop: (ex: Executor) => Promise<void>,
  error: abstract new (...args: never[]) => Error,
) {
  const ex = make({ maxWorkers: 1, killAfter: 20_000 });
  const running = ex.submit(task);
  await until(() => running.running(), "the task to start");
  await stop(ex);
  await expect(running).rejects.toBeInstanceOf(error);
}

/** Polls until `check()` is true; throws after 20 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

/** Registers the Executor contract tests for the executor kind `name`, built by `make`. */
export function describeExecutorContract(name: string, make: MakeExecutor): void {
  describe(`${name} meets the Executor contract`, () => {
    it("submit resolves to the task's result; result() and exception() agree", async () => {
      await using ex = make({ maxWorkers: 2 });
      const f = ex.submit(add, 20, 22);
      expect(f).toBeInstanceOf(Future);
      expect(await f).toBe(42);
      expect(await f.result()).toBe(42);
      expect(await f.exception()).toBeUndefined();
      expect([f.done(), f.running(), f.cancelled()]).toEqual([true, false, false]);
      expect(await ex.submit(async (x: number) => x + 1, 1)).toBe(2);
      expect(await ex.run(() => "no args")).toBe("no args");
    });

    it("a task's error keeps its class, message and code", async () => {
      await using ex = make({ maxWorkers: 1 });
      const f = ex.submit((m: string) => {
        throw Object.assign(new RangeError(m), { code: "E_CONTRACT" });
      }, "nope");
      const err = (await f.exception()) as RangeError & { code: string };
      expect(err).toBeInstanceOf(RangeError);
      expect(err.message).toBe("nope");
      expect(err.code).toBe("E_CONTRACT");
      await expect(f.result()).rejects.toBe(err);
      expect(await ex.submit(add, 1, 1)).toBe(2); // the worker survives a task's error
    });

    it("map yields results in input order, chunked or not; several iterables zip to the shortest", async () => {
      await using ex = make({ maxWorkers: 2 });
      const items = Array.from({ length: 100 }, (_, i) => i);
      expect(await collect(ex.map(double, items))).toEqual(items.map(double));
      expect(await collect(ex.mapWith({ chunksize: 7 }, double, items))).toEqual(items.map(double));
      expect(await collect(ex.map(add, [1, 2, 3], [10, 20]))).toEqual([11, 22]);
      expect(await collect(ex.map(double, []))).toEqual([]);
    });

    it("map raises a task's error at its position, after the results before it", async () => {
      await using ex = make({ maxWorkers: 2 });
      const seen: number[] = [];
      const fail = (x: number) => {
        if (x === 3) throw new TypeError("three");
        return x;
      };
      await expect(
        (async () => {
          for await (const v of ex.map(fail, [0, 1, 2, 3, 4])) seen.push(v);
        })(),
      ).rejects.toThrow(TypeError);
      expect(seen).toEqual([0, 1, 2]);
    });

    it("asCompleted yields every future once, in completion order", async () => {
      await using ex = make({ maxWorkers: 1 });
      const futures = [ex.submit(spin, 30, "a"), ex.submit(spin, 1, "b"), ex.submit(spin, 1, "c")];
      const order: string[] = [];
      for await (const f of asCompleted(futures)) order.push(await f);
      expect(order).toEqual(["a", "b", "c"]); // one worker runs them in submission order
    });

    it("wait: FIRST_COMPLETED, FIRST_EXCEPTION and ALL_COMPLETED", async () => {
      await using ex = make({ maxWorkers: 1 });
      const slow = ex.submit(spin, 200, 1);
      const queued = ex.submit(add, 1, 1);
      const first = await wait([slow, queued], { returnWhen: FIRST_COMPLETED });
      expect(first.done.has(slow)).toBe(true); // one worker: the queued task cannot finish first
      expect(first.done.size + first.notDone.size).toBe(2);

      const bad = ex.submit(() => {
        throw new Error("bad");
      });
      const blocked = ex.submit(spin, 200, 2);
      const exc = await wait([blocked, bad], { returnWhen: FIRST_EXCEPTION });
      expect(exc.done.has(bad)).toBe(true);

      const all = await wait([slow, queued, bad, blocked], { returnWhen: ALL_COMPLETED });
      expect(all.done.size).toBe(4);
      expect(all.notDone.size).toBe(0);
    });

    it("cancel() withdraws a task that has not started; it never runs", async () => {
      await using ex = make({ maxWorkers: 1 });
      const running = ex.submit(spin, 300, "first");
      const waiting = ex.submit(add, 1, 2);
      await until(() => running.running(), "the first task to start");
      expect(waiting.cancel()).toBe(true);
      expect([waiting.cancelled(), waiting.done(), waiting.running()]).toEqual([true, true, false]);
      expect(running.cancel()).toBe(false); // a running task is not cancelled
      expect(await running).toBe("first");
      await expect(waiting.exception()).rejects.toBeInstanceOf(CancelledError); // Python: raises CancelledError
      expect(await ex.submit(add, 2, 2)).toBe(4);
    });

    it("shutdown waits for accepted work, then submit and map throw ShutdownError", async () => {
      const ex = make({ maxWorkers: 2 });
      const futures = Array.from({ length: 10 }, (_, i) => ex.submit(spin, 2, i));
      await ex.shutdown();
      expect(futures.every((f) => f.done() && !f.cancelled())).toBe(true);
      expect(await Promise.all(futures)).toEqual(Array.from({ length: 10 }, (_, i) => i));
      expect(() => ex.submit(add, 1, 2)).toThrow(ShutdownError);
      expect(() => ex.map(double, [1])).toThrow(ShutdownError);
      await ex.shutdown(); // a second shutdown is a no-op
    });

    it("shutdown({ cancelFutures: true }) cancels what has not started and lets the running task finish", async () => {
      const ex = make({ maxWorkers: 1 });
      const running = ex.submit(spin, 200, "ran");
      const waiting = Array.from({ length: 5 }, (_, i) => ex.submit(add, i, 0));
      await until(() => running.running(), "the first task to start");
      await ex.shutdown({ cancelFutures: true });
      expect(await running).toBe("ran");
      expect(waiting.every((f) => f.cancelled())).toBe(true);
    });

    it("bad input gives typed errors at the call", async () => {
      await using ex = make({ maxWorkers: 1 });
      for (const target of [42, null, "add"]) {
        const err = thrownBy(() => ex.submit(target as never));
        expect((err as { code?: string }).code).toBe("ERR_WEFT_TARGET");
      }
      expect(thrownBy(() => ex.submitWith(5 as never, add, 1, 2))).toBeInstanceOf(PoolOptionError);
      expect(thrownBy(() => ex.map(double, 5 as never))).toBeInstanceOf(PoolOptionError);
      expect(thrownBy(() => ex.mapWith({ chunksize: 0 }, double, [1]))).toBeInstanceOf(PoolOptionError);
      expect(
        thrownBy(() =>
          ex.submit(
            (x: unknown) => x,
            () => 1,
          ),
        ),
      ).toBeInstanceOf(Error); // a function cannot cross
      await expect(wait(5 as never)).rejects.toBeInstanceOf(PoolOptionError);
      expect(() => asCompleted([1] as never)).toThrow(PoolOptionError);
      expect(await ex.submit(add, 1, 2)).toBe(3); // nothing above reached the executor
    });

    it("invalid timeouts are refused with InvalidTimeoutError everywhere a timeout is taken", async () => {
      await using ex = make({ maxWorkers: 1 });
      const f = ex.submit(add, 1, 2);
      for (const bad of [-1, Number.NaN, "100", null]) {
        const timeout = bad as number;
        expect(thrownBy(() => ex.submitWith({ timeout }, add, 1, 2))).toBeInstanceOf(InvalidTimeoutError);
        expect(thrownBy(() => ex.mapWith({ timeout }, double, [1]))).toBeInstanceOf(InvalidTimeoutError);
        await expect(f.result({ timeout })).rejects.toBeInstanceOf(InvalidTimeoutError);
        await expect(f.exception({ timeout })).rejects.toBeInstanceOf(InvalidTimeoutError);
        await expect(wait([f], { timeout })).rejects.toBeInstanceOf(InvalidTimeoutError);
        expect(() => asCompleted([f], { timeout })).toThrow(InvalidTimeoutError);
      }
      expect(await f.result({ timeout: Number.POSITIVE_INFINITY })).toBe(3);
    });
  });
}

/**
 * Registers the tests of cooperative cancellation of running tasks (`currentTask().signal`, the `killAfter`
 * grace) for a pool whose workers it can stop: the thread and process pools. (A distributed executor's jobs
 * get BullMQ's own signal, and no worker of another machine is killed by the producer.)
 */
export function describeRunningTaskCancellation(name: string, make: MakeExecutor): void {
  describe(`${name} asks running tasks to stop before it stops their worker`, () => {
    it("a running task sees its signal abort and, ending, keeps its worker and the tasks behind it", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 20_000 });
      const mark = await ex.submit(workerMark);
      const ac = new AbortController();
      const reason = new Error("stop now");
      const running = ex.submitWith({ signal: ac.signal }, honour);
      const behind = Array.from({ length: 3 }, () => ex.submit(workerMark));
      await until(() => running.running(), "the task to start");
      ac.abort(reason);
      await expect(running).rejects.toBe(reason);
      expect(await Promise.all(behind)).toEqual([mark, mark, mark]);
      expect(await ex.submit(workerMark)).toBe(mark);
    });

    it("the worker-side signal carries the kind of stop: abort, timeout, shutdown", async () => {
      const ex = make({ maxWorkers: 1, killAfter: 20_000 });
      const ac = new AbortController();
      const aborted = ex.submitWith({ signal: ac.signal }, reportAbort);
      await until(() => aborted.running(), "the task to start");
      ac.abort(new Error("because"));
      // The task returned a value after the abort: a finished task's result wins. Its reason is the abort's
      // when the request's message came first, else (the task read its signal after the stop was in shared
      // memory, as RunningTask.signal documents) the message naming only the kind of stop.
      expect(await aborted).toMatch(
        /^AbortError: (because|the task was asked to stop: its future's signal was aborted)$/,
      );
      expect(await ex.submitWith({ timeout: 50 }, reportAbort)).toMatch(/^TimeoutError: /);
      const running = ex.submit(reportAbort);
      await until(() => running.running(), "the task to start");
      await ex.shutdown({ cancelFutures: true });
      expect(await running).toMatch(/^CancelledError: /);
    });

    it("a timeout asks the task to stop: it fails with TaskTimeoutError and its worker stays", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 20_000 });
      await timesOutKeepingWorker(ex, honour, { timeout: 50 });
    });

    it("shutdown({ cancelFutures: true }) stops a task that honours its signal with CancelledError", async () => {
      const ex = make({ maxWorkers: 1 });
      const running = ex.submit(honour);
      const waiting = ex.submit(add, 1, 2);
      await until(() => running.running(), "the task to start");
      await ex.shutdown({ cancelFutures: true });
      await expect(running).rejects.toBeInstanceOf(CancelledError);
      expect(waiting.cancelled()).toBe(true);
    });

    it("terminateWorkers() lets a task that honours its signal end first", async () => {
      await stoppedWhileRunning(make, honour, (ex) => ex.terminateWorkers(), WorkerTerminatedError);
    });

    it("a task that ignores its signal has its worker stopped after killAfter", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 100 });
      const mark = await ex.submit(workerMark);
      const ac = new AbortController();
      const running = ex.submitWith({ signal: ac.signal }, ignore, 30_000);
      await until(() => running.running(), "the task to start");
      ac.abort(new Error("stop"));
      await expect(running).rejects.toThrow("stop");
      const timedOut = ex.submitWith({ timeout: 50 }, ignore, 30_000);
      await expect(timedOut).rejects.toBeInstanceOf(TaskTimeoutError);
      expect(await ex.submit(workerMark)).not.toBe(mark); // a new worker
    });

    it("killAfter: 0 stops the worker at once, as without cooperative cancellation", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 0 });
      const mark = await ex.submit(workerMark);
      const ac = new AbortController();
      const running = ex.submitWith({ signal: ac.signal }, honour);
      await until(() => running.running(), "the task to start");
      ac.abort(new Error("now"));
      await expect(running).rejects.toThrow("now");
      expect(await ex.submit(workerMark)).not.toBe(mark);
    });

    it("currentTask() works in a task and throws NotInTaskError elsewhere", async () => {
      await using ex = make({ maxWorkers: 1 });
      expect(await ex.submit(() => currentTask().signal.aborted)).toBe(false);
      const probe = async () => {
        await new Promise((r) => setTimeout(r, 1));
        return currentTask().signal instanceof AbortSignal;
      };
      expect(await ex.submit(probe)).toBe(true);
      const later = async () => {
        await new Promise<void>((r) => setTimeout(r, 1));
        // A callback that settles the task still runs within it.
        return new Promise<string>((resolve) =>
          setTimeout(() => {
            try {
              currentTask();
              resolve("no error");
            } catch (e) {
              resolve((e as Error).name);
            }
          }, 0),
        );
      };
      // Still the same task while it awaits; its own promise settles before it ends.
      expect(await ex.submit(later)).toBe("no error");
      const { currentTask: onMain } = await import("@weft/pool");
      expect(thrownBy(() => onMain())).toBeInstanceOf(NotInTaskError);
    });

    it("killAfter is validated like the other options", () => {
      for (const killAfter of [-1, Number.NaN, "5" as unknown as number]) {
        expect(() => make({ maxWorkers: 1, killAfter })).toThrow();
      }
    });
  });

  // Tasks that never yield to their event loop: the stop request's message cannot reach them, the word the
  // executor writes in the slot memory it shares with the worker does.
  describe(`${name} lets a synchronous task see that it is asked to stop`, () => {
    it("future signal aborted: it throws from throwIfStopRequested(), fails with the abort reason, keeps its worker", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 20_000 });
      const mark = await ex.submit(workerMark);
      const ac = new AbortController();
      const reason = new Error("stop spinning");
      const running = ex.submitWith({ signal: ac.signal }, spinUntilStopped);
      await until(() => running.running(), "the task to start");
      ac.abort(reason);
      await expect(running).rejects.toBe(reason);
      expect(await ex.submit(workerMark)).toBe(mark);
    });

    it("timeout: it fails with TaskTimeoutError and keeps its worker", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 20_000 });
      await timesOutKeepingWorker(ex, spinUntilStopped, { timeout: 50 });
    });

    it("taskTimeout: it fails with TaskTimeoutError and keeps its worker", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 20_000, taskTimeout: 50 });
      await timesOutKeepingWorker(ex, spinUntilStopped, {});
    });

    it("shutdown({ cancelFutures: true }): it fails with CancelledError before killAfter", async () => {
      const cancel = (ex: Executor) => ex.shutdown({ cancelFutures: true });
      await stoppedWhileRunning(make, spinUntilStopped, cancel, CancelledError);
    });

    it("terminateWorkers(): it ends first and fails with WorkerTerminatedError", async () => {
      await stoppedWhileRunning(make, spinUntilStopped, (ex) => ex.terminateWorkers(), WorkerTerminatedError);
    });

    it("stopRequested, signal.aborted, signal.reason and throwIfAborted() agree, with the kind of stop", async () => {
      const ex = make({ maxWorkers: 1, killAfter: 20_000 });
      expect(await ex.submit(() => currentTask().stopRequested)).toBe(false);
      const ac = new AbortController();
      const aborted = ex.submitWith({ signal: ac.signal }, spinAndReport);
      await until(() => aborted.running(), "the task to start");
      ac.abort(new Error("because"));
      // The task returned a value after it was asked to stop: a finished task's result wins.
      expect(await aborted).toBe("AbortError");
      expect(await ex.submitWith({ timeout: 50 }, spinAndReport)).toBe("TimeoutError");
      expect(await ex.submitWith({ timeout: 50 }, spinOnSignal)).toBe("TimeoutError");
      const running = ex.submit(spinOnSignal);
      await until(() => running.running(), "the task to start");
      await ex.shutdown({ cancelFutures: true });
      expect(await running).toBe("CancelledError");
    });

    it("a signal read before the stop follows it; the next task starts with stopRequested false", async () => {
      await using ex = make({ maxWorkers: 1, killAfter: 20_000 });
      const mark = await ex.submit(workerMark);
      const ac = new AbortController();
      const running = ex.submitWith({ signal: ac.signal }, spinOnSignal);
      const next = ex.submit(() => [currentTask().stopRequested, currentTask().signal.aborted]);
      await until(() => running.running(), "the task to start");
      ac.abort(new Error("now"));
      expect(await running).toBe("AbortError");
      expect(await next).toEqual([false, false]);
      expect(await ex.submit(workerMark)).toBe(mark);
    });
  });
}
