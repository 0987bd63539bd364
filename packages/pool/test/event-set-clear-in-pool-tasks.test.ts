import { ThreadPoolExecutor } from "@weft/pool";
import { Event } from "@weft/sync";
import { describe, expect, it } from "vitest";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Python: every thread blocked in wait() when set() runs returns True, even if clear() follows at once.
// Issue 14 item 1: this must hold for waitSync inside pool tasks too.
describe("Event set() then clear() at once, waiters blocked in waitSync inside pool tasks", () => {
  it("every task that was waiting returns true", async () => {
    const n = 4;
    await using pool = new ThreadPoolExecutor({ maxWorkers: n });
    const event = new Event();
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const futures = Array.from({ length: n }, () =>
      pool.submit(
        (e: Event, r: Int32Array) => {
          Atomics.add(r, 0, 1);
          Atomics.notify(r, 0);
          return e.waitSync({ timeout: 10_000 });
        },
        event,
        ready,
      ),
    );
    while (Atomics.load(ready, 0) < n) await sleep(10);
    // Each task bumped the counter just before it blocks; give it ample time to get there.
    await sleep(1000);
    event.set();
    event.clear();
    expect(await Promise.all(futures)).toEqual(Array.from({ length: n }, () => true));
    expect(event.isSet()).toBe(false);
  }, 30_000);
});
