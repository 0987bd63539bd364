import { marshal, Event as SharedEvent } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { Event } from "../src/index.js";
import { runWorker, sleep } from "./helpers.js";

// Python: every thread blocked in wait() when set() runs returns True, even if clear() follows at once.
describe("Event: set() then clear() at once wakes every waiter that was already waiting", () => {
  it("async waiters in this event loop resolve true", async () => {
    const e = new Event();
    const waits = [e.wait({ timeout: 5000 }), e.wait({ timeout: 5000 }), e.wait()];
    await sleep(20);
    e.set();
    e.clear();
    expect(await Promise.all(waits)).toEqual([true, true, true]);
    expect(e.isSet()).toBe(false);
  });

  it("a wait that starts after the set and clear still waits for the next set()", async () => {
    const e = new Event();
    e.set();
    e.clear();
    expect(await e.wait({ timeout: 30 })).toBe(false);
    const late = e.wait({ timeout: 5000 });
    e.set();
    expect(await late).toBe(true);
  });

  /** Starts one worker per mode waiting on `go`; resolves once all wait, with the per-worker results. */
  async function waitingWorkers(go: SharedEvent, modes: string[]): Promise<() => Promise<number[]>> {
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const results = new Int32Array(new SharedArrayBuffer(4 * modes.length));
    const runs = modes.map((mode, slot) =>
      runWorker(
        "event-set-clear-waiter.mjs",
        marshal.encode({ ready, results, go, mode, slot, timeout: 8000 }),
      ),
    );
    while (Atomics.load(ready, 0) < modes.length) {
      await Atomics.waitAsync(ready, 0, Atomics.load(ready, 0), 100).value;
    }
    // A blocking waiter reported ready just before it blocks; give it ample time to get there.
    await sleep(300);
    return async () => {
      await Promise.all(runs);
      return [...results];
    };
  }

  it("waiters blocked in waitSync and awaiting wait() in four workers all return true", async () => {
    const go = new SharedEvent();
    const local = go.wait({ timeout: 8000 });
    const finished = await waitingWorkers(go, ["sync", "async", "sync", "async"]);
    go.set();
    go.clear();
    expect(await finished()).toEqual([1, 1, 1, 1]);
    expect(await local).toBe(true);
    expect(go.isSet()).toBe(false);
  }, 30_000);

  it("many set/clear pairs while workers wait: each waiter returns true", async () => {
    const go = new SharedEvent();
    const finished = await waitingWorkers(go, ["sync", "async"]);
    for (let i = 0; i < 100; i++) {
      go.set();
      go.clear();
    }
    expect(await finished()).toEqual([1, 1]);
  }, 30_000);
});
