import { Event } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

describe("cooperative stop", () => {
  it("with an Event: the thread polls it and ends when it is set", async () => {
    const stop = new Event();
    const started = new Event();
    const t = new Thread({
      target: async (stopEvent: Event, startedEvent: Event) => {
        let rounds = 0;
        while (!stopEvent.isSet()) {
          rounds++;
          startedEvent.set();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return rounds;
      },
      args: [stop, started],
    }).start();
    expect(await started.wait({ timeout: 10_000 })).toBe(true);
    expect(t.isAlive).toBe(true);
    stop.set();
    expect(await t.join({ timeout: 10_000 })).toBe(true);
    expect(t.result).toBeGreaterThan(0);
  });

  it("with an Event waited on synchronously in a busy thread", async () => {
    const stop = new Event();
    const t = new Thread({
      target: (stopEvent: Event) => {
        // Blocks the thread (not the main thread) until the event is set.
        return stopEvent.waitSync({ timeout: 10_000 });
      },
      args: [stop],
    }).start();
    expect(await t.join({ timeout: 50 })).toBe(false);
    stop.set();
    await t.join();
    expect(t.result).toBe(true);
  });

  it("with an AbortSignal: the thread gets its own AbortSignal that aborts with the same reason", async () => {
    const controller = new AbortController();
    const started = new Event();
    const t = new Thread({
      target: { module: threadTasks, export: "waitForAbort" },
      args: [controller.signal, started],
    });
    t.start();
    expect(await started.wait({ timeout: 10_000 })).toBe(true);
    controller.abort(new RangeError("shutting down"));
    expect(await t.join({ timeout: 10_000 })).toBe(true);
    expect(t.result).toEqual({ early: false, reason: "RangeError: shutting down" });
  });

  it("with an AbortSignal polled by a thread that never yields to its event loop", async () => {
    const controller = new AbortController();
    const started = new Event();
    const t = new Thread({
      target: { module: threadTasks, export: "busyUntilAborted" },
      args: [controller.signal, started],
    }).start();
    expect(await started.wait({ timeout: 10_000 })).toBe(true);
    controller.abort("stop now");
    expect(await t.join({ timeout: 10_000 })).toBe(true);
    expect(t.result).toEqual({ reason: "stop now", thrown: "stop now" });
  });

  it("an already aborted signal arrives aborted; the default reason is an AbortError", async () => {
    const t = new Thread({
      target: { module: threadTasks, export: "waitForAbort" },
      args: [AbortSignal.abort()],
    });
    t.start();
    await t.join();
    expect(t.result).toEqual({ early: true, reason: expect.stringMatching(/AbortError/) });
  });

  it("signals nested in arguments are bridged, and one signal stays one signal", async () => {
    const controller = new AbortController();
    const options = { signal: controller.signal };
    const t = new Thread({ target: { module: threadTasks, export: "sameSignal" }, args: [options, options] });
    t.start();
    await t.join();
    expect(t.result).toBe(true);
  });

  it("stops listening to the caller's signal once the thread has ended", async () => {
    const controller = new AbortController();
    const listeners: unknown[] = [];
    const original = controller.signal.addEventListener.bind(controller.signal);
    const removed: unknown[] = [];
    controller.signal.addEventListener = ((type: string, fn: unknown, opts: unknown) => {
      listeners.push(fn);
      return original(type, fn as never, opts as never);
    }) as never;
    const originalRemove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.removeEventListener = ((type: string, fn: unknown) => {
      removed.push(fn);
      return originalRemove(type, fn as never);
    }) as never;
    const t = new Thread({ target: (s: AbortSignal) => s.aborted, args: [controller.signal] }).start();
    await t.join();
    expect(t.result).toBe(false);
    expect(listeners.length).toBe(1);
    expect(removed).toEqual(listeners);
  });
});
