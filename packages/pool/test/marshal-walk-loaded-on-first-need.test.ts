import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";

// A worker loads @weft/sync's user API (the marshal walk) only when an argument or result needs it: each case
// below is the first thing a fresh worker does, so it must wait for that load and still see the real classes.
const url = new URL("./fixtures/marshal-on-first-need.mjs", import.meta.url);
const task = (name: string) => moduleTask(url, name);

describe("the marshal walk is loaded on first need in a worker", () => {
  it("an initializer's encoded arguments are decoded before it runs", async () => {
    await using pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: { module: url, export: "keep" },
      initArgs: [new Lock()],
    });
    expect(await pool.submit(task("initArgWasLock"))).toBe(true);
  });

  it("an async first task's object result (holding a Lock) is encoded", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const result = (await pool.submit(task("laterObject"), 3)) as { x: number; list: [number, Lock] };
    expect(result.x).toBe(3);
    expect(result.list[1]).toBeInstanceOf(Lock);
  });

  it("a first task's result wrapped in transfer() is encoded and its buffer moved", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const result = (await pool.submit(task("objectMoved"), 8)) as { bytes: Uint8Array; lock: Lock };
    expect(result.bytes.byteLength).toBe(8);
    expect(result.lock).toBeInstanceOf(Lock);
  });

  it("many first tasks with encoded arguments, sent before the load finishes, all run in order", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const echo = (lock: Lock, i: number) => [lock instanceof Object, i];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.submit(echo, new Lock(), i)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => [true, i]));
  });
});
