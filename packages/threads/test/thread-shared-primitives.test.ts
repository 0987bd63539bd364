import { Event, Lock } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

describe("primitives passed as arguments", () => {
  it("a Lock held here is held in the thread: the thread cannot take it", async () => {
    const lock = new Lock();
    const guard = lock.tryAcquire();
    expect(guard).not.toBe(false);
    const t = new Thread({ target: { module: threadTasks, export: "lockState" }, args: [lock] }).start();
    await t.join();
    expect(t.result).toEqual({ lockedSeenInThread: true, acquiredInThread: false });
    if (guard) guard.release();
    // Released here, so a thread can take it now (and, holding it as it ends, leaves it taken).
    const u = new Thread({ target: { module: threadTasks, export: "lockState" }, args: [lock] }).start();
    await u.join();
    expect(u.result).toEqual({ lockedSeenInThread: false, acquiredInThread: true });
    expect(lock.locked()).toBe(true);
  });

  it("two threads incrementing one counter under one Lock lose no update", async () => {
    const lock = new Lock();
    const go = new Event();
    const counter = new SharedArrayBuffer(4);
    const times = 100_000;
    const threads = [0, 1].map(() =>
      new Thread({
        target: { module: threadTasks, export: "incrementUnderLock" },
        args: [lock, counter, times, go],
      }).start(),
    );
    go.set();
    for (const t of threads) await t.join();
    expect(new Int32Array(counter)[0]).toBe(2 * times);
  });

  it("an Event set in the thread is set here, in nested containers too", async () => {
    const events = { ready: new Event(), list: [new Event()], map: new Map([["k", new Event()]]) };
    const t = new Thread({
      target: (e: { ready: Event; list: Event[]; map: Map<string, Event> }) => {
        e.ready.set();
        e.list[0]?.set();
        e.map.get("k")?.set();
        return e.ready.isSet();
      },
      args: [events],
    }).start();
    await t.join();
    expect(t.result).toBe(true);
    expect(events.ready.isSet()).toBe(true);
    expect(events.list[0]?.isSet()).toBe(true);
    expect(events.map.get("k")?.isSet()).toBe(true);
  });

  it("a primitive returned by the thread is the same primitive here", async () => {
    const t = new Thread({ target: { module: threadTasks, export: "makeSetEvent" } }).start();
    await t.join();
    const event = t.result as Event;
    expect(event).toBeInstanceOf(Event);
    expect(event.isSet()).toBe(true);
  });
});
