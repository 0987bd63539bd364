import { Event } from "@weft/sync";
import { TargetError, Thread, ThreadStateError } from "@weft/threads";
import { describe, expect, it } from "vitest";

const tasks = new URL("./fixtures/tasks.mjs", import.meta.url);

describe("Thread lifecycle", () => {
  it("does nothing until start, then runs the target with its args and keeps the result", async () => {
    const t = new Thread({ target: { module: tasks, export: "add" }, args: [2, 40] });
    expect(t.isAlive).toBe(false);
    expect(t.ident).toBeUndefined();
    expect(String(t)).toMatch(/initial/);
    expect(t.start()).toBe(t);
    expect(t.isAlive).toBe(true);
    expect(typeof t.ident).toBe("number");
    expect(t.ident).toBeGreaterThan(0);
    expect(await t.join()).toBe(true);
    expect(t.isAlive).toBe(false);
    expect(t.result).toBe(42);
    expect(t.error).toBeUndefined();
    expect(String(t)).toMatch(/stopped/);
    // Joining again answers at once with the same outcome.
    expect(await t.join()).toBe(true);
  });

  it("awaits async targets and runs self-contained functions", async () => {
    const t = new Thread({
      target: async (a: number, b: number) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { sum: a + b, inThread: (await import("node:worker_threads")).isMainThread === false };
      },
      args: [1, 2],
    }).start();
    await t.join();
    expect(t.result).toEqual({ sum: 3, inThread: true });
  });

  it("names threads Thread-N (target) by default and accepts a name", () => {
    const named = new Thread({ target: { module: tasks, export: "add" } });
    expect(named.name).toMatch(/^Thread-\d+ \(add\)$/);
    function countdown() {}
    expect(new Thread({ target: countdown }).name).toMatch(/^Thread-\d+ \(countdown\)$/);
    // An inline arrow's name is only inferred from the `target` key: it does not name the thread.
    expect(new Thread({ target: () => 1 }).name).toMatch(/^Thread-\d+$/);
    const custom = new Thread({ target: countdown, name: "worker-a" });
    expect(custom.name).toBe("worker-a");
    custom.name = "renamed";
    expect(custom.name).toBe("renamed");
    expect(() => {
      custom.name = 3 as never;
    }).toThrow(TypeError);
  });

  it("refuses a second start, a join before start, and daemon changes after start", async () => {
    const t = new Thread({ target: { module: tasks, export: "add" }, args: [1, 1] });
    await expect(t.join()).rejects.toThrow(ThreadStateError);
    t.daemon = true;
    t.start();
    expect(() => t.start()).toThrow(/already been started/);
    expect(() => {
      t.daemon = false;
    }).toThrow(ThreadStateError);
    await t.join();
    expect(() => t.start()).toThrow(ThreadStateError);
  });

  it("a thread ends when its target returns, even if it left timers behind", async () => {
    const t = new Thread({
      target: { module: new URL("./fixtures/thread-tasks.mjs", import.meta.url), export: "lingering" },
    });
    t.start();
    expect(await t.join({ timeout: 10_000 })).toBe(true);
    expect(t.result).toBe("returned");
  });

  it("a target blocked on a promise keeps its thread alive instead of ending it quietly", async () => {
    // Waiting for an abort event holds no handle in the thread: only the thread itself keeps it alive.
    const controller = new AbortController();
    const started = new Event();
    const t = new Thread({
      target: { module: new URL("./fixtures/thread-tasks.mjs", import.meta.url), export: "waitForAbort" },
      args: [controller.signal, started],
    }).start();
    // Abort only once the target waits (a slow start under load would otherwise see it aborted already).
    expect(await started.wait({ timeout: 30_000 })).toBe(true);
    expect(await t.join({ timeout: 300 })).toBe(false);
    expect(t.isAlive).toBe(true);
    controller.abort("done");
    expect(await t.join()).toBe(true);
    expect(t.result).toEqual({ early: false, reason: "done" });
  });

  it("validates options with typed errors", () => {
    expect(() => new Thread(undefined as never)).toThrow(TypeError);
    expect(() => new Thread({ target: 5 as never })).toThrow(TargetError);
    expect(() => new Thread({ target: () => 1, args: "x" as never })).toThrow(/args must be an array/);
    expect(() => new Thread({ target: () => 1, name: 1 as never })).toThrow(/name must be a string/);
    expect(() => new Thread({ target: () => 1, daemon: "yes" as never })).toThrow(/daemon must be a boolean/);
  });

  it("supports await using: disposal waits for the end", async () => {
    let t: Thread | undefined;
    {
      await using thread = new Thread({
        target: { module: tasks, export: "slowEcho" },
        args: ["x", 30],
      }).start();
      t = thread;
    }
    expect(t.isAlive).toBe(false);
    expect(t.result).toBe("x");
  });
});
