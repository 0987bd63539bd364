import { PoolOptionError, QueueFullError, ThreadPoolExecutor, transfer } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("transfer", () => {
  it("moves an ArrayBuffer to the worker and back instead of copying it", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const buf = new ArrayBuffer(1 << 20);
    const back = await pool.submit(
      fixture<(b: ArrayBuffer, v: number) => ArrayBuffer>("fillAndReturn"),
      transfer(buf, [buf]),
      7,
    );
    expect(buf.byteLength).toBe(0); // detached: it moved
    expect(back.byteLength).toBe(1 << 20);
    expect(new Uint8Array(back)[12345]).toBe(7);
  });

  it("submitWith({ transfer }) moves the listed buffers", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const buf = new ArrayBuffer(64);
    expect(await pool.submitWith({ transfer: [buf] }, fixture("byteLength"), buf)).toBe(64);
    expect(buf.byteLength).toBe(0);
  });

  it("submitWith({ transfer }) with a transfer() mark moves both, and leaves the caller's list as it was", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const marked = new ArrayBuffer(32);
    const listed = new ArrayBuffer(64);
    const list = [listed];
    const sizes = fixture<(a: ArrayBuffer, b: ArrayBuffer) => number>("addByteLengths");
    expect(await pool.submitWith({ transfer: list }, sizes, transfer(marked, [marked]), listed)).toBe(96);
    expect(marked.byteLength).toBe(0);
    expect(listed.byteLength).toBe(0);
    expect(list).toEqual([listed]);
  });

  it("submitWith rejects a transfer option that is not an array", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const buf = new ArrayBuffer(8);
    expect(() =>
      pool.submitWith({ transfer: buf as unknown as ArrayBuffer[] }, fixture("byteLength"), buf),
    ).toThrow(PoolOptionError);
    expect(buf.byteLength).toBe(8);
  });

  it("without transfer the buffer is copied", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const buf = new ArrayBuffer(64);
    expect(await pool.submit(fixture("byteLength"), buf)).toBe(64);
    expect(buf.byteLength).toBe(64);
  });
});

describe("maxQueue", () => {
  it("submit throws QueueFullError when maxQueue tasks wait", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, maxQueue: 5, window: 1 });
    const accepted = [];
    let refused: unknown;
    for (let i = 0; i < 50 && refused === undefined; i++) {
      try {
        accepted.push(pool.submit(fixture("sleepThen"), 5, i));
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toBeInstanceOf(QueueFullError);
    // the first task went straight to the idle worker (window 1); five more wait in the queue
    expect(accepted.length).toBe(6);
    expect(pool.stats.queued).toBe(5);
    await Promise.all(accepted);
    // room again
    expect(await pool.submit(fixture("add"), 1, 1)).toBe(2);
  });

  it('run() waits for room with whenFull: "wait", and the queue never exceeds maxQueue', async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, maxQueue: 4, whenFull: "wait", window: 2 });
    let peak = 0;
    const runs: Promise<number>[] = [];
    for (let i = 0; i < 40; i++) {
      while (pool.stats.queued >= 4) await pool.ready();
      runs.push(pool.run(fixture<(a: number, b: number) => number>("add"), i, 0));
      peak = Math.max(peak, pool.stats.queued);
    }
    const all = Promise.all(runs);
    const sampler = setInterval(() => {
      peak = Math.max(peak, pool.stats.queued);
    }, 1);
    expect(await all).toEqual([...Array(40).keys()]);
    clearInterval(sampler);
    expect(peak).toBeLessThanOrEqual(4);
  });

  it('run() rejects with QueueFullError when full and whenFull is "reject"', async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, maxQueue: 1, window: 1 });
    const a = pool.submit(fixture("sleepThen"), 20, 1);
    await new Promise((r) => setTimeout(r, 1)); // a is posted to the worker
    const b = pool.submit(fixture("sleepThen"), 1, 2); // waits in the queue: it is full
    expect(pool.stats.queued).toBe(1);
    await expect(pool.run(fixture("add"), 1, 1)).rejects.toBeInstanceOf(QueueFullError);
    await Promise.all([a, b]);
  });

  it("map over a huge lazy iterable keeps memory bounded (few tasks queued at a time)", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, maxQueue: 16, window: 4 });
    let produced = 0;
    let maxAhead = 0;
    let consumed = 0;
    function* items() {
      for (let i = 0; i < 3000; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield i;
      }
    }
    let sum = 0;
    for await (const v of pool.map(fixture<(x: number) => number>("identity"), items())) {
      consumed++;
      sum += v;
    }
    expect(sum).toBe((2999 * 3000) / 2);
    expect(maxAhead).toBeLessThanOrEqual(64);
  });
});
