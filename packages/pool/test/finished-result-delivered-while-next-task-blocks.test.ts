// A worker holds the results of quick tasks for a moment to send several in one message. If the task it
// runs next blocks its thread on a weft primitive, those results must not wait for it: the blocked task may
// be waiting for exactly what their futures let the program do next (here: set the Event, release the Lock),
// and holding them turned that into a wait that only the blocked task's timeout ended (without one, for ever).
import { ThreadPoolExecutor } from "@weft/pool";
import { Event, Lock } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";

// One target for the quick call and the blocking one, so that the worker has just seen it run quickly.
const quickOrWaitForEvent = (event: Event | null, value: number): number | boolean =>
  event === null ? value : event.waitSync({ timeout: 3000 });
const quickOrTakeLock = (lock: Lock | null, value: number): number | boolean => {
  if (lock === null) return value;
  const guard = lock.acquireSync({ timeout: 3000 });
  if (guard === false) return false;
  guard.release();
  return true;
};
const spin = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
};

let pool: ThreadPoolExecutor | undefined;
afterEach(async () => {
  await pool?.shutdown();
  pool = undefined;
});

describe("a finished task's result while the next task in its worker blocks", () => {
  it("arrives while the next task computes, when its target has not run quickly lately", async () => {
    pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await pool.submit(quickOrWaitForEvent, null, 0)).toBe(0);
    await pool.submit(spin, 0);
    void pool.submit(spin, 30);
    const quick = pool.submit(quickOrWaitForEvent, null, 1);
    const slow = pool.submit(spin, 1000);
    expect(await quick).toBe(1);
    expect(slow.done()).toBe(false); // true: the quick result waited the whole second for the slow task
    await slow;
  }, 20_000);

  it("arrives while the next task waits for an Event (which the program sets once it has the result)", async () => {
    pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const set = new Event();
    set.set();
    // Loads both targets and @weft/sync in the worker, so that nothing below waits for a load.
    expect(await pool.submit(quickOrWaitForEvent, set, 0)).toBe(true);
    await pool.submit(spin, 0);
    for (let round = 0; round < 3; round++) {
      const go = new Event();
      void pool.submit(spin, 30); // keeps the worker busy while the next two queue up behind it
      const quick = pool.submit(quickOrWaitForEvent, null, round);
      const waiting = pool.submit(quickOrWaitForEvent, go, 0);
      expect(await quick).toBe(round);
      go.set();
      expect(await waiting).toBe(true); // false: it waited the whole 3 s for the Event
    }
  }, 20_000);

  it("arrives while the next task waits for a Lock (which the program releases once it has the result)", async () => {
    pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const lock = new Lock();
    expect(await pool.submit(quickOrTakeLock, lock, 0)).toBe(true);
    await pool.submit(spin, 0);
    for (let round = 0; round < 3; round++) {
      expect(lock.acquireSync()).not.toBe(false);
      void pool.submit(spin, 30);
      const quick = pool.submit(quickOrTakeLock, null, round);
      const waiting = pool.submit(quickOrTakeLock, lock, 0);
      expect(await quick).toBe(round);
      lock.release();
      expect(await waiting).toBe(true);
    }
  }, 20_000);
});
