import { CancelledError, type Future, ThreadPoolExecutor, TimeoutError } from "@weft/pool";
import { describe, expect, it } from "vitest";

// CPython Lib/test/test_concurrent_futures/executor.py (ExecutorTest) and test_thread_pool.py, the parts
// about map() and about an executor's futures that the other ports do not cover: what map's iterator does
// after the error it raised, map() without iterables, map(timeout=0) on a saturated pool
// (test_executor_map_current_future_cancel), and an executor used again after failures. Calls count
// themselves in shared memory (Python's tests append to a list the threads share).

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

function blockUntilOpened(gate: SharedArrayBuffer): string {
  Atomics.wait(new Int32Array(gate), 0, 0, 20_000);
  return "first";
}

function open(gate: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(gate), 0, 1);
  Atomics.notify(new Int32Array(gate), 0);
}

function countCall(job: { counts: SharedArrayBuffer; i: number }): number {
  Atomics.add(new Int32Array(job.counts), job.i, 1);
  return job.i;
}

function divmod(a: number, b: number): [number, number] {
  if (b === 0) throw new RangeError("integer division or modulo by zero");
  return [Math.floor(a / b), a % b];
}

describe("ExecutorTest (ThreadPoolExecutor)", () => {
  it("test_map_exception: two results, the error, then the iterator is finished", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const it = pool.map(divmod, [1, 1, 1, 1], [2, 3, 0, 5]);
    expect(await it.next()).toEqual({ value: [0, 1], done: false });
    expect(await it.next()).toEqual({ value: [0, 1], done: false });
    await expect(it.next()).rejects.toBeInstanceOf(RangeError);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("map(fn) without iterables yields nothing (Python's zip() of no iterables)", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    // TypeScript asks for at least one iterable; the call is checked at run time.
    const bare = (x: number) => x;
    expect(await collect(pool.map(bare as never))).toEqual([]);
    expect(await collect(pool.mapWith({ buffersize: 2 }, bare as never))).toEqual([]);
  });

  it("test_map_buffersize_on_empty_iterable: an empty iterable yields nothing", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await collect(pool.mapWith({ buffersize: 2 }, (x: unknown) => String(x), []))).toEqual([]);
  });

  it("test_executor_map_current_future_cancel: map(timeout=0) on a busy pool times out; its calls never run", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const gate = new SharedArrayBuffer(4);
    const counts = new SharedArrayBuffer(8);
    const fut = pool.submit(blockUntilOpened, gate);
    try {
      const gen = pool.mapWith({ timeout: 0 }, countCall, [
        { counts, i: 0 },
        { counts, i: 1 },
      ]);
      await expect(gen.next()).rejects.toBeInstanceOf(TimeoutError);
      await gen.return(undefined);
    } finally {
      open(gate);
    }
    expect(await fut.result()).toBe("first");
    expect(await pool.submit((x: number) => x, 7)).toBe(7); // tasks run in order on the one worker
    expect(Array.from(new Int32Array(counts))).toEqual([0, 0]);
  });

  it("an executor whose tasks and maps failed keeps working (its workers survive a task's error)", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const bad = pool.submit(divmod, 1, 0);
    await expect(bad).rejects.toBeInstanceOf(RangeError);
    await expect(collect(pool.map(divmod, [1, 1], [0, 0]))).rejects.toBeInstanceOf(RangeError);
    expect(await pool.submit(divmod, 7, 2)).toEqual([3, 1]);
    expect(await collect(pool.map(divmod, [9, 8], [2, 3]))).toEqual([
      [4, 1],
      [2, 2],
    ]);
  });

  it("a future of a running task: running() true, cancel() false, then done with its result", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const gate = new SharedArrayBuffer(4);
    const f = pool.submit(blockUntilOpened, gate);
    const end = performance.now() + 5000;
    while (!f.running() && performance.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(f.running()).toBe(true);
    expect(f.cancel()).toBe(false);
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(false);
    const seen: string[] = [];
    f.addDoneCallback((x) => seen.push(String(x)));
    open(gate);
    expect(await f).toBe("first");
    expect(f.running()).toBe(false);
    expect(f.done()).toBe(true);
    expect(seen).toEqual(["Future <finished returned string>"]);
  });

  it("a queued task cancelled: its done callback runs at once with a cancelled future, result() raises CancelledError", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const gate = new SharedArrayBuffer(4);
    const blocker = pool.submit(blockUntilOpened, gate);
    const queued = pool.submit((x: number) => x, 1);
    const seen: boolean[] = [];
    queued.addDoneCallback((f: Future<number>) => seen.push(f.cancelled()));
    expect(queued.cancel()).toBe(true);
    expect(seen).toEqual([true]);
    await expect(queued.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(queued.exception()).rejects.toBeInstanceOf(CancelledError);
    open(gate);
    await blocker;
  });
});
