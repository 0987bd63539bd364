import { ContextLocal } from "@weft/local-storage";
import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// A task sees the context of its submit() (the propagating ContextLocals set there), whatever earlier tasks of
// the same worker did: a ContextLocal.set() at a task's top level stays within that task, as in a copy of the
// context (Python's copy_context().run(task)), also when the submitter had nothing set (the task then carries no
// snapshot) and when the next task's target is still loading in the worker.

const tasks = new URL("./fixtures/context-set-in-task.mjs", import.meta.url);
const setBoth = moduleTask<(v: string) => string[]>(tasks, "setBoth");
const setBothAsync = moduleTask<(v: string) => Promise<string[]>>(tasks, "setBothAsync");
const readBoth = moduleTask<() => string[]>(tasks, "readBoth");
const lateTasks = new URL("./fixtures/context-late-in-task.mjs", import.meta.url);
const createAndSet = moduleTask<(v: string) => string>(lateTasks, "createAndSet");
const readLate = moduleTask<() => string>(lateTasks, "readLate");
const CLEAN = ["unset", "-"];
const submitterSide = new ContextLocal<string>({ name: "test.submitter", propagate: true });

describe("a ContextLocal set by a pool task", () => {
  for (const how of ["sync", "async"] as const) {
    const submitSet = (pool: ThreadPoolExecutor, v: string): Promise<string[]> =>
      how === "sync" ? pool.submit(setBoth, v) : pool.submit(setBothAsync, v);

    it(`does not reach the next task (${how} task, next target not loaded yet)`, async () => {
      await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const first = submitSet(pool, "B");
      const next = pool.submit(readBoth);
      expect((await first).slice(0, 2)).toEqual(CLEAN);
      expect(await next).toEqual(CLEAN);
      await new Promise((r) => setTimeout(r, 50));
      expect(await pool.submit(readBoth)).toEqual(CLEAN);
    });

    it(`does not reach the next task (${how} task, targets loaded)`, async () => {
      await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      await pool.submit(readBoth);
      await submitSet(pool, "warm");
      const results = await Promise.all([submitSet(pool, "B"), pool.submit(readBoth), submitSet(pool, "C")]);
      expect(results.map((r) => r.slice(0, 2))).toEqual([CLEAN, CLEAN, CLEAN]);
      expect(await pool.submit(readBoth)).toEqual(CLEAN);
    });

    it(`does not reach the next task when the tasks carry the submitter's context (${how})`, async () => {
      await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const results = await submitterSide.run("s", () =>
        Promise.all([submitSet(pool, "B"), pool.submit(readBoth), submitSet(pool, "C")]),
      );
      expect(results.map((r) => r.slice(0, 2))).toEqual([CLEAN, CLEAN, CLEAN]);
    });
  }

  it("keeps its value for the rest of its own task, after an await", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await pool.submit(setBothAsync, "B")).toEqual([...CLEAN, "B"]);
  });

  it("does not reach the other items of its map chunk", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const out: string[][] = [];
    for await (const r of pool.mapWith({ chunksize: 4 }, setBoth, ["a", "b", "c", "d"])) out.push(r);
    expect(out).toEqual([CLEAN, CLEAN, CLEAN, CLEAN]);
  });

  it("does not reach the other items of its map chunk when the chunk carries the submitter's context", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const out = await submitterSide.run("s", async () => {
      const got: string[][] = [];
      for await (const r of pool.mapWith({ chunksize: 4 }, setBoth, ["a", "b", "c", "d"])) got.push(r);
      return got;
    });
    expect(out).toEqual([CLEAN, CLEAN, CLEAN, CLEAN]);
  });

  it("does not reach the next task when the task created the worker's first ContextLocal", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const first = pool.submit(createAndSet, "B");
    const next = pool.submit(readLate);
    expect(await first).toBe("unset");
    expect(await next).toBe("unset");
    const chunk: string[] = [];
    for await (const r of pool.mapWith({ chunksize: 3 }, createAndSet, ["x", "y", "z"])) chunk.push(r);
    expect(chunk).toEqual(["unset", "unset", "unset"]);
  });

  it("sees what the worker's initializer set, in every task", async () => {
    await using pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: moduleTask(tasks, "initPlain"),
      initArgs: ["from-init"],
    });
    const results = await Promise.all([pool.submit(setBoth, "B"), pool.submit(readBoth)]);
    expect(results).toEqual([
      ["from-init", "-"],
      ["from-init", "-"],
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(await pool.submit(readBoth)).toEqual(["from-init", "-"]);
  });
});
