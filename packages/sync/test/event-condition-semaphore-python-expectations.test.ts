import {
  Condition as BuiltCondition,
  RLock as BuiltRLock,
  Semaphore as BuiltSemaphore,
  marshal,
} from "@weft/sync";
import { describe, expect, it } from "vitest";
import {
  BoundedSemaphore,
  Condition,
  Event,
  type Guard,
  InvalidTimeoutError,
  Lock,
  NotOwnerError,
  ReleaseError,
  RLock,
  Semaphore,
} from "../src/index.js";
import { runWorker, sleep } from "./helpers.js";
import { openGate, opsInThread } from "./python-ops.js";

// CPython Lib/test/lock_tests.py: EventTests, ConditionTests, BaseSemaphoreTests, SemaphoreTests and
// BoundedSemaphoreTests. Python's threads are async tasks of this event loop here (a weft wait never blocks
// the loop), or workers where the test is about another thread. Timeouts are ms; assertTimeout accepts
// 0.6x to 10x the timeout, as Python's does.

function expectTimeout(elapsed: number, timeout: number): void {
  expect(elapsed).toBeGreaterThanOrEqual(timeout * 0.6);
  expect(elapsed).toBeLessThan(timeout * 10);
}

async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await p;
  return [value, performance.now() - start];
}

describe("EventTests", () => {
  it("test_is_set: set and clear are idempotent", () => {
    const evt = new Event();
    expect(evt.isSet()).toBe(false);
    evt.set();
    expect(evt.isSet()).toBe(true);
    evt.set();
    expect(evt.isSet()).toBe(true);
    evt.clear();
    expect(evt.isSet()).toBe(false);
    evt.clear();
    expect(evt.isSet()).toBe(false);
  });

  async function checkNotify(evt: Event): Promise<void> {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const tasks = Array.from({ length: 5 }, async () => {
      results1.push(await evt.wait());
      results2.push(await evt.wait());
    });
    await sleep(20);
    expect(results1).toEqual([]);
    evt.set();
    await Promise.all(tasks);
    expect(results1).toEqual([true, true, true, true, true]);
    expect(results2).toEqual([true, true, true, true, true]);
  }

  it("test_notify: set() wakes all waiters, and a set waited on again returns true at once", async () => {
    const evt = new Event();
    await checkNotify(evt);
    evt.set();
    evt.clear();
    await checkNotify(evt);
  });

  it("test_timeout: wait(0) and a timed wait return false while clear, true once set", async () => {
    const evt = new Event();
    const round = () =>
      Promise.all(
        Array.from(
          { length: 5 },
          async () => [await evt.wait({ timeout: 0 }), await timed(evt.wait({ timeout: 200 }))] as const,
        ),
      );
    for (const [now, [later, elapsed]] of await round()) {
      expect(now).toBe(false);
      expect(later).toBe(false);
      expectTimeout(elapsed, 200);
    }
    expect(evt.waitSync({ timeout: 0 })).toBe(false);
    evt.set();
    for (const [now, [later, elapsed]] of await round()) {
      expect(now).toBe(true);
      expect(later).toBe(true);
      expect(elapsed).toBeLessThan(200);
    }
    expect(evt.waitSync({ timeout: 0 })).toBe(true);
  });

  it("a negative timeout is refused (Python's Event.wait(-1) returns at once: weft's one timeout rule)", async () => {
    const evt = new Event();
    await expect(evt.wait({ timeout: -1 })).rejects.toThrow(InvalidTimeoutError);
    expect(() => evt.waitSync({ timeout: -1 })).toThrow(InvalidTimeoutError);
  });
});

describe("ConditionTests", () => {
  it("test_acquire: the default lock is an RLock; a given Lock is the condition's lock", () => {
    const cond = new Condition();
    expect(cond.lock).toBeInstanceOf(RLock);
    cond.acquireSync();
    cond.acquireSync();
    cond.release();
    cond.release();
    expect(cond.locked()).toBe(false);

    const lock = new Lock();
    const c2 = new Condition(lock);
    c2.acquireSync();
    expect(lock.tryAcquire()).toBe(false);
    c2.release();
    const g = lock.tryAcquire();
    expect(g).not.toBe(false);
    expect(c2.tryAcquire()).toBe(false);
    (g as Guard).release();
    {
      using _ = c2.acquireSync() as Guard;
      expect(lock.tryAcquire()).toBe(false);
    }
    expect(lock.locked()).toBe(false);
  });

  it("test_unacquired_wait / test_unacquired_notify: without the lock they are errors", async () => {
    for (const cond of [new Condition(), new Condition(new Lock())]) {
      await expect(cond.wait()).rejects.toThrow(NotOwnerError);
      expect(() => cond.waitSync({ timeout: 10 })).toThrow(NotOwnerError);
      await expect(cond.waitFor(() => false)).rejects.toThrow(NotOwnerError);
      expect(await cond.waitFor(() => "already")).toBe("already"); // Python asks the predicate first
      expect(() => cond.notify()).toThrow(NotOwnerError);
      expect(() => cond.notifyAll()).toThrow(NotOwnerError);
      expect(cond.locked()).toBe(false);
    }
  });

  it("wait and notify by a thread while another thread holds the RLock are errors (RLock _is_owned)", async () => {
    const cond = new BuiltCondition();
    const t = opsInThread(cond, ["hold"]);
    await t.held;
    expect(cond.locked()).toBe(true);
    expect(() => cond.notify()).toThrow(NotOwnerError);
    expect(() => cond.notifyAll()).toThrow(NotOwnerError);
    await expect(cond.wait({ timeout: 10 })).rejects.toThrow(NotOwnerError);
    openGate(t.gate);
    await t.results;
  });

  async function checkNotify(cond: Condition): Promise<void> {
    const results1: [boolean, number][] = [];
    const results2: [boolean, number][] = [];
    let phase = 0;
    const waiting = () => Number(/waiters=(\d+)/.exec(String(cond))?.[1]);
    const tasks = Array.from({ length: 5 }, async () => {
      await cond.acquire();
      let result = await cond.wait();
      cond.release();
      results1.push([result, phase]);
      await cond.acquire();
      result = await cond.wait();
      cond.release();
      results2.push([result, phase]);
    });
    while (waiting() < 5) await sleep(1);
    expect(results1).toEqual([]);
    // notify(3): three wake, and only after the notifier released (they see phase 1)
    cond.acquireSync();
    cond.notify(3);
    await sleep(10);
    phase = 1;
    cond.release();
    while (results1.length < 3) await sleep(1);
    while (waiting() < 5) await sleep(1);
    expect(results1).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
    expect(results2).toEqual([]);
    // notify(5): two in their first wait and three in their second
    cond.acquireSync();
    cond.notify(5);
    await sleep(10);
    phase = 2;
    cond.release();
    while (results1.length + results2.length < 8) await sleep(1);
    while (waiting() < 2) await sleep(1);
    expect(results1).toEqual([...Array(3).fill([true, 1]), ...Array(2).fill([true, 2])]);
    expect(results2).toEqual(Array(3).fill([true, 2]));
    // notifyAll: the last two, in their second wait
    cond.acquireSync();
    cond.notifyAll();
    await sleep(10);
    phase = 3;
    cond.release();
    await Promise.all(tasks);
    expect(results1).toEqual([...Array(3).fill([true, 1]), ...Array(2).fill([true, 2])]);
    expect(results2).toEqual([...Array(3).fill([true, 2]), ...Array(2).fill([true, 3])]);
  }

  it("test_notify: notify(3), notify(5), notifyAll wake exactly that many, twice over", async () => {
    for (const cond of [new Condition(new Lock())]) {
      await checkNotify(cond);
      await checkNotify(cond);
      expect(String(cond)).toMatch(/waiters=0>$/);
    }
  });

  it("test_notify with threads (default RLock): notify(3), notify(5), notifyAll wake exactly that many", async () => {
    const cond = new BuiltCondition();
    const phase = new Int32Array(new SharedArrayBuffer(4));
    const out = new Int32Array(new SharedArrayBuffer(4 * 10)).fill(0);
    const done = new Int32Array(new SharedArrayBuffer(4));
    const waiting = () => Number(/waiters=(\d+)/.exec(String(cond))?.[1]);
    const until = async (ok: () => boolean) => {
      const end = Date.now() + 20_000;
      while (!ok() && Date.now() < end) await sleep(2);
      expect(ok()).toBe(true);
    };
    const runs = Array.from({ length: 5 }, (_, me) =>
      runWorker("condition-two-waits.mjs", marshal.encode({ cond, phase, out, done, me })),
    );
    const seen = () => [...out].filter((v) => v !== 0).sort();
    await until(() => waiting() === 5);
    cond.acquireSync();
    cond.notify(3);
    Atomics.store(phase, 0, 1);
    cond.release();
    await until(() => Atomics.load(done, 0) === 3 && waiting() === 5);
    await sleep(50);
    expect(Atomics.load(done, 0)).toBe(3);
    expect(seen()).toEqual([1, 1, 1]);
    cond.acquireSync();
    cond.notify(5);
    Atomics.store(phase, 0, 2);
    cond.release();
    await until(() => Atomics.load(done, 0) === 8 && waiting() === 2);
    await sleep(50);
    expect(Atomics.load(done, 0)).toBe(8);
    expect(seen()).toEqual([1, 1, 1, 2, 2, 2, 2, 2]);
    cond.acquireSync();
    cond.notifyAll();
    Atomics.store(phase, 0, 3);
    cond.release();
    await Promise.all(runs);
    expect(seen()).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 3, 3]);
    for (let me = 0; me < 5; me++) expect(out[me * 2] ?? 0).toBeLessThanOrEqual(out[me * 2 + 1] ?? 0);
  }, 60_000);

  it("test_timeout: waits nobody notifies return false after their timeout, holding the lock", async () => {
    const cond = new Condition(new Lock());
    const results = await Promise.all(
      Array.from({ length: 5 }, async () => {
        await cond.acquire();
        const [result, elapsed] = await timed(cond.wait({ timeout: 200 }));
        expect(cond.lock.locked()).toBe(true);
        cond.release();
        return [result, elapsed] as const;
      }),
    );
    expect(results).toHaveLength(5);
    for (const [result, elapsed] of results) {
      expect(result).toBe(false);
      expectTimeout(elapsed, 200);
    }
    expect(cond.locked()).toBe(false);
  });

  it("test_waitfor: waitFor returns once the predicate holds, after notifies", async () => {
    const cond = new Condition(new Lock());
    let state = 0;
    const waiter = (async () => {
      await using _ = (await cond.acquire()) as Guard;
      const result = await cond.waitFor(() => state === 4);
      expect(result).toBe(true);
      expect(state).toBe(4);
    })();
    for (let i = 0; i < 4; i++) {
      await sleep(10);
      using _ = cond.acquireSync() as Guard;
      state += 1;
      cond.notify();
    }
    await waiter;
  });

  it("test_waitfor_timeout: waitFor returns the predicate's last value after its timeout", async () => {
    const cond = new Condition(new Lock());
    let state = 0;
    const waiter = (async () => {
      await using _ = (await cond.acquire()) as Guard;
      const [result, elapsed] = await timed(
        cond.waitFor(() => (state === 4 ? "four" : ""), { timeout: 100 }),
      );
      expectTimeout(elapsed, 100);
      return result;
    })();
    for (let i = 0; i < 3; i++) {
      await sleep(10);
      using _ = cond.acquireSync() as Guard;
      state += 1;
      cond.notify();
    }
    expect(await waiter).toBe(""); // Python: wait_for returns the predicate's last (falsy) result
    expect(state).toBe(3);
  });

  it("wait() with the RLock held twice releases it fully and restores both levels (_release_save/_acquire_restore)", async () => {
    const lock = new BuiltRLock();
    const cond = new BuiltCondition(lock);
    lock.acquireSync();
    lock.acquireSync();
    // Another thread gets the lock only if wait() releases both levels, and gives it back at once.
    const { results } = opsInThread(lock, ["acquire:5000", "release"]);
    expect(await cond.wait({ timeout: 300 })).toBe(false);
    expect(lock.isOwned()).toBe(true);
    expect(String(lock)).toBe("RLock <locked, count=2>");
    const [acquired, release] = (await results) as [[boolean, number], string];
    expect(acquired[0]).toBe(true);
    expect(release).toBe("ok");
    lock.release();
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(() => lock.release()).toThrow(ReleaseError);
  });

  it("a wait that ends by an error (here an aborted signal) has re-acquired the lock, as Python's wait() on any exit", async () => {
    for (const lock of [new Lock(), new RLock()]) {
      const cond = new Condition(lock);
      lock.acquireSync();
      const ac = new AbortController();
      setTimeout(() => ac.abort(new RangeError("stop")), 10);
      await expect(cond.wait({ signal: ac.signal })).rejects.toThrow("stop");
      expect(lock.locked()).toBe(true);
      const ac2 = new AbortController();
      setTimeout(() => ac2.abort(new RangeError("stop")), 10);
      await expect(cond.waitFor(() => false, { signal: ac2.signal })).rejects.toThrow("stop");
      expect(lock.locked()).toBe(true);
      lock.release();
      expect(lock.locked()).toBe(false);
    }
  });

  it("a predicate already true returns at once without waiting (Python's wait_for)", async () => {
    const cond = new Condition();
    await cond.acquire();
    const [result, elapsed] = await timed(cond.waitFor(() => "ready", { timeout: 5000 }));
    expect(result).toBe("ready");
    expect(elapsed).toBeLessThan(1000);
    cond.release();
  });
});

for (const [name, Sem] of [
  ["Semaphore", Semaphore],
  ["BoundedSemaphore", BoundedSemaphore],
] as const) {
  describe(`BaseSemaphoreTests (${name})`, () => {
    it("test_constructor: a negative value is refused", () => {
      expect(() => new Sem(-1)).toThrow(RangeError);
      expect(() => new Sem(-Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
    });

    it("test_acquire: acquire and release up to the value", async () => {
      const one = new Sem(1);
      ((await one.acquire()) as Guard).release();
      const two = new Sem(2);
      await two.acquire();
      await two.acquire();
      expect(two.value).toBe(0);
      two.release();
      two.release();
      expect(two.value).toBe(2);
    });

    it("test_acquire_contended: each release lets exactly one waiter in", async () => {
      const sem = new Sem(7);
      await sem.acquire();
      const results1: number[] = [];
      const results2: number[] = [];
      let phase = 0;
      const tasks = Array.from({ length: 10 }, async () => {
        await sem.acquire();
        results1.push(phase);
        await sem.acquire();
        results2.push(phase);
      });
      const count = async (n: number) => {
        while (results1.length + results2.length < n) await sleep(1);
        await sleep(20);
        expect(results1.length + results2.length).toBe(n);
      };
      await count(6);
      expect([...results1, ...results2]).toEqual(Array(6).fill(0));
      phase = 1;
      for (let i = 0; i < 7; i++) sem.release();
      await count(13);
      expect([...results1, ...results2].sort()).toEqual([...Array(6).fill(0), ...Array(7).fill(1)]);
      phase = 2;
      for (let i = 0; i < 6; i++) sem.release();
      await count(19);
      expect([...results1, ...results2].sort()).toEqual([
        ...Array(6).fill(0),
        ...Array(7).fill(1),
        ...Array(6).fill(2),
      ]);
      expect(sem.tryAcquire()).toBe(false);
      sem.release();
      await Promise.all(tasks);
    });

    it("test_multirelease: release(n) lets n waiters in at once", async () => {
      const sem = new Sem(7);
      await sem.acquire();
      const results: number[] = [];
      const tasks = Array.from({ length: 10 }, async () => {
        await sem.acquire();
        results.push(1);
      });
      while (results.length < 6) await sleep(1);
      await sleep(20);
      expect(results).toHaveLength(6);
      sem.release(4);
      await Promise.all(tasks);
      expect(results).toHaveLength(10);
      expect(sem.value).toBe(0);
    });

    it("test_try_acquire: acquire(False) takes free permits only", () => {
      const sem = new Sem(2);
      expect(sem.tryAcquire()).not.toBe(false);
      expect(sem.tryAcquire()).not.toBe(false);
      expect(sem.tryAcquire()).toBe(false);
      sem.release();
      expect(sem.tryAcquire()).not.toBe(false);
    });

    it("test_acquire_timeout: a timed acquire takes a free permit, else returns false after its timeout", async () => {
      const sem = new Sem(2);
      expect(await sem.acquire({ timeout: 5 })).not.toBe(false);
      expect(await sem.acquire({ timeout: 5 })).not.toBe(false);
      expect(await sem.acquire({ timeout: 5 })).toBe(false);
      sem.release();
      expect(await sem.acquire({ timeout: 5 })).not.toBe(false);
      const [result, elapsed] = await timed(sem.acquire({ timeout: 200 }));
      expect(result).toBe(false);
      expectTimeout(elapsed, 200);
      expect(() => sem.acquireSync({ timeout: -1 })).toThrow(InvalidTimeoutError);
    });

    it("test_default_value: the value defaults to 1", async () => {
      const sem = new Sem();
      expect(sem.value).toBe(1);
      await sem.acquire();
      let finished = false;
      const other = sem.acquire().then((g) => {
        finished = true;
        (g as Guard).release();
      });
      await sleep(20);
      expect(finished).toBe(false);
      sem.release();
      await other;
      expect(finished).toBe(true);
    });

    it("test_with: using holds one permit, also when the block throws", () => {
      const sem = new Sem(2);
      const block = (error?: Error) => {
        using _ = sem.acquireSync() as Guard;
        const g = sem.tryAcquire();
        expect(g).not.toBe(false);
        (g as Guard).release();
        {
          using _inner = sem.acquireSync() as Guard;
          expect(sem.tryAcquire()).toBe(false);
          if (error) throw error;
        }
      };
      block();
      expect(sem.value).toBe(2);
      expect(() => block(new TypeError("inside"))).toThrow(TypeError);
      expect(sem.value).toBe(2);
    });

    it("release(n) needs n >= 1 (Python: ValueError 'n must be one or more')", () => {
      const sem = new Sem(1);
      expect(() => sem.release(0)).toThrow(RangeError);
      expect(() => sem.release(-1)).toThrow(RangeError);
      expect(sem.value).toBe(1);
    });
  });
}

describe("SemaphoreTests / BoundedSemaphoreTests", () => {
  it("test_release_unacquired (Semaphore): releases above the value are allowed and add permits", () => {
    const sem = new Semaphore(1);
    sem.release();
    expect(sem.value).toBe(2);
    sem.acquireSync();
    sem.acquireSync();
    sem.release();
    expect(sem.value).toBe(1);
  });

  it("test_release_unacquired (BoundedSemaphore): a release past the initial value is an error", () => {
    const sem = new BoundedSemaphore();
    expect(() => sem.release()).toThrow(ReleaseError);
    sem.acquireSync();
    sem.release();
    expect(() => sem.release()).toThrow(ReleaseError);
    expect(sem.value).toBe(1);
  });

  it("BoundedSemaphore.release(n) past the initial value is an error and releases nothing (Python 3.9+)", async () => {
    const sem = new BoundedSemaphore(3);
    sem.acquireSync();
    sem.acquireSync();
    expect(sem.value).toBe(1);
    expect(() => sem.release(3)).toThrow(ReleaseError);
    expect(sem.value).toBe(1); // not partly released
    sem.release(2);
    expect(sem.value).toBe(3);
    expect(() => sem.release(1)).toThrow(ReleaseError);
    expect(sem.value).toBe(3);
  });

  it("Semaphore.release(n) with n waiters lets all n in (test_multirelease, several acquirers at once)", async () => {
    const sem = new Semaphore(0);
    const got: number[] = [];
    const waits = [0, 1, 2, 3].map((i) =>
      sem.acquire({ timeout: 2000 }).then((g) => g !== false && got.push(i)),
    );
    await sleep(20);
    sem.release(3);
    await sleep(20);
    expect(got).toHaveLength(3);
    expect(sem.value).toBe(0);
    sem.release();
    await Promise.all(waits);
    expect(got.sort()).toEqual([0, 1, 2, 3]);
  });

  it("test_try_acquire_contended: acquire(False) from other threads takes exactly the free permits", async () => {
    const sem = new BuiltSemaphore(4);
    sem.acquireSync();
    const threads = [0, 1].map(() => opsInThread(sem, Array(5).fill("tryAcquire")));
    const results = (await Promise.all(threads.map((t) => t.results))).flat() as boolean[];
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(results.filter((r) => !r)).toHaveLength(7);
  });
});
