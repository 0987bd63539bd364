import { Barrier as BuiltBarrier, Lock as BuiltLock, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError } from "../src/index.js";
import { runWorker, sleep } from "./helpers.js";

// CPython Lib/test/lock_tests.py: BarrierTests (N = 5, the barrier made with a default timeout), plus the
// Barrier checks of Lib/test/_test_multiprocessing.py (_TestBarrier) that lock_tests does not have. Python's
// threads are async tasks of this event loop (a weft wait never blocks the loop); seconds are ms / 1000.

const N = 5;
const DEFAULT_TIMEOUT = 2000;

async function runThreads(f: (i: number) => Promise<void>, n = N): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => f(i)));
}

async function until(check: () => boolean): Promise<void> {
  const end = performance.now() + 5000;
  while (!check()) {
    if (performance.now() > end) throw new Error("condition not reached");
    await sleep(1);
  }
}

describe("BarrierTests", () => {
  it("test_constructor: parties 0 and -1 are refused (ValueError -> RangeError)", () => {
    expect(() => new Barrier(0)).toThrow(RangeError);
    expect(() => new Barrier(-1)).toThrow(RangeError);
  });

  for (const passes of [1, 10]) {
    it(`test_barrier${passes === 1 ? "" : "_10"}: ${passes} pass(es); rounds never overlap; n_waiting 0 and not broken after`, async () => {
      const barrier = new Barrier(N, { timeout: DEFAULT_TIMEOUT });
      const results: [boolean[], boolean[]] = [[], []];
      await runThreads(async () => {
        const m = barrier.parties;
        expect(m).toBe(N);
        for (let i = 0; i < passes; i++) {
          results[0].push(true);
          expect(results[1].length).toBe(i * m);
          await barrier.wait();
          results[1].push(true);
          expect(results[0].length).toBe((i + 1) * m);
          await barrier.wait();
        }
        expect(barrier.nWaiting).toBe(0);
        expect(barrier.broken).toBe(false);
      });
    });
  }

  it("test_wait_return: the indexes returned are 0 .. N-1", async () => {
    const barrier = new Barrier(N, { timeout: DEFAULT_TIMEOUT });
    const results: number[] = [];
    await runThreads(async () => void results.push(await barrier.wait()));
    expect(results.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("test_action: the action runs once, before any party is released", async () => {
    const results: boolean[] = [];
    const barrier = new Barrier(N, { action: () => void results.push(true) });
    await runThreads(async () => {
      await barrier.wait();
      expect(results.length).toBe(1);
    });
  });

  it("test_abort: abort() by one party breaks the barrier for the N-1 others", async () => {
    const barrier = new Barrier(N, { timeout: DEFAULT_TIMEOUT });
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    await runThreads(async () => {
      try {
        const i = await barrier.wait();
        if (i === Math.floor(N / 2)) throw new RangeError("late");
        await barrier.wait();
        results1.push(true);
      } catch (e) {
        if (e instanceof BrokenBarrierError) results2.push(true);
        else barrier.abort();
      }
    });
    expect(results1.length).toBe(0);
    expect(results2.length).toBe(N - 1);
    expect(barrier.broken).toBe(true);
  });

  it("test_reset: reset() while N-1 wait breaks their wait; then all N pass again", async () => {
    const barrier = new Barrier(N, { timeout: DEFAULT_TIMEOUT });
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const results3: boolean[] = [];
    await runThreads(async () => {
      const i = await barrier.wait();
      if (i === Math.floor(N / 2)) {
        await until(() => barrier.nWaiting >= N - 1);
        barrier.reset();
      } else {
        try {
          await barrier.wait();
          results1.push(true);
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          results2.push(true);
        }
      }
      await barrier.wait();
      results3.push(true);
    });
    expect(results1.length).toBe(0);
    expect(results2.length).toBe(N - 1);
    expect(results3.length).toBe(N);
  });

  it("test_abort_and_reset: an aborted barrier, reset once everyone left it, works again", async () => {
    const barrier = new Barrier(N, { timeout: DEFAULT_TIMEOUT });
    const barrier2 = new Barrier(N);
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const results3: boolean[] = [];
    await runThreads(async () => {
      try {
        const i = await barrier.wait();
        if (i === Math.floor(N / 2)) throw new RangeError("late");
        await barrier.wait();
        results1.push(true);
      } catch (e) {
        if (e instanceof BrokenBarrierError) results2.push(true);
        else barrier.abort();
      }
      if ((await barrier2.wait()) === Math.floor(N / 2)) barrier.reset();
      await barrier2.wait();
      await barrier.wait();
      results3.push(true);
    });
    expect(results1.length).toBe(0);
    expect(results2.length).toBe(N - 1);
    expect(results3.length).toBe(N);
    expect(barrier.broken).toBe(false);
  });

  it("test_timeout: a wait shorter than a late party breaks the barrier for everyone", async () => {
    const barrier = new Barrier(N, { timeout: DEFAULT_TIMEOUT });
    const outcomes: unknown[] = [];
    await runThreads(async () => {
      const i = await barrier.wait();
      if (i === Math.floor(N / 2)) await sleep(DEFAULT_TIMEOUT / 8);
      outcomes.push(await barrier.wait({ timeout: DEFAULT_TIMEOUT / 16 }).catch((e) => e));
    });
    expect(outcomes).toHaveLength(N);
    for (const o of outcomes) expect(o).toBeInstanceOf(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
  });

  it("test_default_timeout: a wait without its own timeout uses the barrier's and breaks it", async () => {
    const barrier = new Barrier(N, { timeout: 150 });
    const outcomes: unknown[] = [];
    await runThreads(async () => {
      const i = await barrier.wait();
      if (i === Math.floor(N / 2)) await sleep(2 * 150);
      outcomes.push(await barrier.wait().catch((e) => e));
    });
    for (const o of outcomes) expect(o).toBeInstanceOf(BrokenBarrierError);
  });

  it("test_default_timeout (waitSync): the default timeout also bounds a blocking wait", () => {
    const barrier = new Barrier(2, { timeout: 50 });
    const start = performance.now();
    expect(() => barrier.waitSync()).toThrow(BrokenBarrierError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(30);
    expect(barrier.broken).toBe(true);
  });

  it("test_single_thread: Barrier(1) lets one party through every time, index 0", async () => {
    const b = new Barrier(1);
    expect(await b.wait()).toBe(0);
    expect(await b.wait()).toBe(0);
    expect(b.waitSync()).toBe(0);
  });

  it("test_repr: waiters=0/3, waiters=2/3 while two wait, <broken> after abort()", async () => {
    const barrier = new Barrier(3);
    expect(String(barrier)).toBe("Barrier <waiters=0/3>");
    const waits = [barrier.wait({ timeout: 5000 }), barrier.wait({ timeout: 5000 })];
    await until(() => barrier.nWaiting >= 2);
    expect(String(barrier)).toBe("Barrier <waiters=2/3>");
    await barrier.wait({ timeout: 5000 });
    await Promise.all(waits);
    barrier.abort();
    expect(String(barrier)).toBe("Barrier <broken>");
  });
});

describe("_TestBarrier (_test_multiprocessing)", () => {
  it("test_action with a throwing action: the tripping party gets the error, the others BrokenBarrierError", async () => {
    const barrier = new Barrier(3, {
      action: () => {
        throw new SyntaxError("action");
      },
    });
    const outcomes = await Promise.all(
      [0, 1, 2].map(() =>
        barrier.wait().then(
          () => "passed",
          (e) => e,
        ),
      ),
    );
    expect(outcomes.filter((e) => e instanceof SyntaxError)).toHaveLength(1);
    expect(outcomes.filter((e) => e instanceof BrokenBarrierError)).toHaveLength(2);
    expect(barrier.broken).toBe(true);
    await expect(barrier.wait()).rejects.toBeInstanceOf(BrokenBarrierError);
  });

  it("n_waiting counts the parties of the round, then 0 once it tripped", async () => {
    const barrier = new Barrier(3);
    expect(barrier.nWaiting).toBe(0);
    const a = barrier.wait();
    await until(() => barrier.nWaiting === 1);
    const b = barrier.wait();
    await until(() => barrier.nWaiting === 2);
    await barrier.wait();
    await Promise.all([a, b]);
    expect(barrier.nWaiting).toBe(0);
  });

  it("test_abort: a party waiting when abort() is called gets BrokenBarrierError; so do later waits", async () => {
    const barrier = new Barrier(2);
    const w = barrier.wait();
    await until(() => barrier.nWaiting === 1);
    barrier.abort();
    await expect(w).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
    expect(() => barrier.waitSync()).toThrow(BrokenBarrierError);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
    expect((await Promise.all([barrier.wait(), barrier.wait()])).sort()).toEqual([0, 1]);
  });
});

describe("_TestBarrier (_test_multiprocessing), across worker threads", () => {
  it("test_thousand: N workers pass the barrier 1000 times; each round's N entries come before the next round's", async () => {
    const passes = 1000;
    // The built classes, as the workers decode with the built @weft/sync.
    const barrier = new BuiltBarrier(N);
    const lock = new BuiltLock();
    const log = new SharedArrayBuffer(4 * (1 + N * passes));
    const data = marshal.encode({ barrier, lock, log, passes });
    await Promise.all(Array.from({ length: N }, () => runWorker("barrier-thousand.mjs", data)));
    const words = new Int32Array(log);
    expect(words[0]).toBe(N * passes);
    for (let i = 0; i < passes; i++) {
      for (let j = 0; j < N; j++) expect(words[1 + i * N + j]).toBe(i);
    }
  }, 60_000);
});
