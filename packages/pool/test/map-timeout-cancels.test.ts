import { ThreadPoolExecutor, TimeoutError } from "@weft/pool";
import { InvalidTimeoutError } from "@weft/sync";
import { describe, expect, it } from "vitest";

// Python: after map's TimeoutError, the future it was waiting on and every later one are cancelled, so calls
// that had not started never run. Each call here counts itself in shared memory.

/** Blocks its worker until word 0 of `gate` becomes non-zero (at most 20 s). */
function blockUntilOpened(gate: SharedArrayBuffer): number {
  Atomics.wait(new Int32Array(gate), 0, 0, 20_000);
  return -1;
}

/** Counts a call of item `i` in word `i` of `counts`. */
function countCall(job: { counts: SharedArrayBuffer; i: number }): number {
  Atomics.add(new Int32Array(job.counts), job.i, 1);
  return job.i;
}

function open(gate: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(gate), 0, 1);
  Atomics.notify(new Int32Array(gate), 0);
}

describe("map timeout", () => {
  it("cancels the call it was waiting on and every later one: none of them runs afterwards", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const gate = new SharedArrayBuffer(4);
    const counts = new SharedArrayBuffer(4 * 8);
    const blocker = pool.submit(blockUntilOpened, gate); // the only worker is busy: map's calls wait
    const jobs = Array.from({ length: 8 }, (_, i) => ({ counts, i }));
    const seen: number[] = [];
    const run = async () => {
      for await (const v of pool.mapWith({ timeout: 100 }, countCall, jobs)) seen.push(v);
    };
    await expect(run()).rejects.toBeInstanceOf(TimeoutError);
    open(gate);
    expect(await blocker).toBe(-1);
    // Tasks run in order on the one worker: once this one has run, any map call left would have run too.
    expect(await pool.submit((x: number) => x, 5)).toBe(5);
    expect(seen).toEqual([]);
    expect(Array.from(new Int32Array(counts))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(pool.stats.queued).toBe(0);
  });

  it("a call that is already running finishes, later ones do not run", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await pool.submit((x: number) => x, 1)).toBe(1); // the worker is up: item 0 is done long before the timeout
    const gate = new SharedArrayBuffer(4);
    const counts = new SharedArrayBuffer(4 * 4);
    function gatedCount(job: { gate: SharedArrayBuffer; counts: SharedArrayBuffer; i: number }): number {
      if (job.i === 1) Atomics.wait(new Int32Array(job.gate), 0, 0, 20_000);
      Atomics.add(new Int32Array(job.counts), job.i, 1);
      return job.i;
    }
    const seen: number[] = [];
    const run = async () => {
      const jobs = [0, 1, 2, 3].map((i) => ({ gate, counts, i }));
      for await (const v of pool.mapWith({ timeout: 2000 }, gatedCount, jobs)) seen.push(v);
    };
    await expect(run()).rejects.toBeInstanceOf(TimeoutError);
    open(gate);
    expect(await pool.submit((x: number) => x, 5)).toBe(5);
    expect(seen).toEqual([0]);
    expect(Array.from(new Int32Array(counts))).toEqual([1, 1, 0, 0]);
  });

  it("a timeout beyond setTimeout's range does not fire early; Infinity is no timeout", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const slow = (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms));
    for (const timeout of [2 ** 31 + 10, 40 * 86_400_000, Number.POSITIVE_INFINITY]) {
      const out: number[] = [];
      for await (const v of pool.mapWith({ timeout }, slow, [150, 1])) out.push(v);
      expect(out).toEqual([150, 1]);
    }
  });

  it("a bad timeout throws InvalidTimeoutError at the call", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    for (const bad of [-1, Number.NaN, "5", null, {}]) {
      expect(() => pool.mapWith({ timeout: bad as number }, (x: number) => x, [1])).toThrow(
        InvalidTimeoutError,
      );
    }
    expect(() => pool.mapWith({ timeout: -1 }, (x: number) => x, [1])).toThrow(/map.*timeout/);
    expect(pool.stats.queued).toBe(0);
  });
});
