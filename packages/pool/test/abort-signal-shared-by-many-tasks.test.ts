import { getEventListeners } from "node:events";
import { ThreadPoolExecutor } from "@weft/pool";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

let warnings: Error[] = [];
const onWarning = (w: Error): void => {
  warnings.push(w);
};
beforeEach(() => {
  warnings = [];
  process.on("warning", onWarning);
});
afterEach(() => {
  process.off("warning", onWarning);
});

/** Lets process warnings (emitted on a later tick) arrive. */
const settle = () => new Promise((r) => setImmediate(r));

describe("one AbortSignal shared by many tasks", () => {
  it("aborts all 200 of them and prints no MaxListenersExceededWarning", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 1 });
    const blocker = pool.submit(fixture("spin"), 300);
    const ac = new AbortController();
    const futures = Array.from({ length: 200 }, (_, i) =>
      pool.submitWith({ signal: ac.signal }, fixture("add"), i, 1),
    );
    await settle();
    expect(getEventListeners(ac.signal, "abort").length).toBe(1);
    ac.abort(new Error("stop them all"));
    const settled = await Promise.allSettled(futures);
    expect(settled.every((s) => s.status === "rejected" && /stop them all/.test(String(s.reason)))).toBe(
      true,
    );
    await blocker;
    await settle();
    expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
    expect(warnings).toEqual([]);
  });

  it("tasks that finish take their listener away: none is left on the signal", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const ac = new AbortController();
    for (let round = 0; round < 3; round++) {
      const futures = Array.from({ length: 30 }, (_, i) =>
        pool.submitWith({ signal: ac.signal }, fixture("add"), i, round),
      );
      expect(await Promise.all(futures)).toEqual(futures.map((_, i) => i + round));
      expect(getEventListeners(ac.signal, "abort")).toEqual([]);
    }
    // a signal shared by tasks that finished and tasks still waiting aborts only the waiting ones
    const blocker = pool.submit(fixture("spin"), 200);
    const blocker2 = pool.submit(fixture("spin"), 200);
    const waiting = Array.from({ length: 12 }, () =>
      pool.submitWith({ signal: ac.signal }, fixture("add"), 1, 1),
    );
    ac.abort();
    for (const f of waiting) await expect(f).rejects.toMatchObject({ name: "AbortError" });
    await Promise.all([blocker, blocker2]);
    await settle();
    expect(warnings).toEqual([]);
  });
});
