import { ThreadPoolExecutor } from "@weft/pool";
import { setExcepthook } from "@weft/threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A task finishes and leaves a timer behind that throws. Its result must reach its future even when the worker
// dies of that error before the result has left it: here, the first result that needs @weft/sync's marshal
// walk (a Map) waits in the worker while @weft/sync loads, and the timer fires meanwhile. The worker still dies
// of the error (reported as before) and is replaced.
describe("a finished task's result outlives an error thrown after it", () => {
  const seen: unknown[] = [];
  let restore: ReturnType<typeof setExcepthook> | undefined;
  beforeAll(() => {
    restore = setExcepthook((args) => {
      seen.push(args.excValue);
    });
  });
  afterAll(() => {
    setExcepthook(restore);
  });

  it("a result waiting for its encoding is delivered, then the worker dies of the error", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const [id, map] = await pool.submit(async () => {
      const { threadId } = await import("node:worker_threads");
      setTimeout(() => {
        throw new Error("weft-stray after a Map");
      }, 0);
      return [threadId, new Map([["k", 1]])] as const;
    });
    expect(map.get("k")).toBe(1);
    let next = id;
    for (let i = 0; i < 200 && next === id; i++) {
      await new Promise((r) => setTimeout(r, 10));
      next = await pool.submit(async () => (await import("node:worker_threads")).threadId);
    }
    expect(next).not.toBe(id); // the worker died of the error and was replaced
    expect(seen).toMatchObject([{ message: "weft-stray after a Map" }]);
  });

  it("a task's own uncaughtException listener keeps the worker alive, as in plain Node", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const before = seen.length;
    const id = await pool.submit(async () => {
      process.on("uncaughtException", () => {});
      setTimeout(() => {
        throw new Error("handled by the task's own listener");
      }, 0);
      return (await import("node:worker_threads")).threadId;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await pool.submit(async () => (await import("node:worker_threads")).threadId)).toBe(id);
    expect(seen.length).toBe(before);
  });
});
