import { marshal, Event as SharedEvent } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { Event } from "../src/index.js";
import { runWorker, sleep } from "./helpers.js";

describe("Event", () => {
  it("starts clear; set wakes every waiter; clear resets", async () => {
    const e = new Event();
    expect(e.isSet()).toBe(false);
    const waiters = [e.wait(), e.wait(), e.wait()];
    await sleep(5);
    e.set();
    expect(await Promise.all(waiters)).toEqual([true, true, true]);
    expect(e.isSet()).toBe(true);
    expect(await e.wait()).toBe(true);
    expect(e.waitSync()).toBe(true);
    e.clear();
    expect(e.isSet()).toBe(false);
    expect(e.waitSync({ timeout: 5 })).toBe(false);
    expect(await e.wait({ timeout: 5 })).toBe(false);
  });

  it("rejects a wait with the abort reason", async () => {
    const e = new Event();
    const ac = new AbortController();
    const p = e.wait({ signal: ac.signal });
    ac.abort(new Error("cancelled"));
    await expect(p).rejects.toThrow("cancelled");
    e.set();
    expect(await e.wait()).toBe(true);
  });

  it("signals between the main thread and a worker, both ways", async () => {
    const started = new SharedEvent();
    const go = new SharedEvent();
    const done = new SharedEvent();
    const finished = runWorker("event-setter.mjs", marshal.encode({ started, go, done }));
    expect(await started.wait({ timeout: 10_000 })).toBe(true);
    expect(done.isSet()).toBe(false);
    go.set();
    expect(await done.wait({ timeout: 10_000 })).toBe(true);
    await finished;
  });
});
