import { ContextLocal } from "@weft/local-storage";
import { ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// A lone task travels to its worker thread as its bare argument (its slot and code go through shared
// memory); batches, first uses of a target and tasks with a propagated context travel as lists. These tests
// mix every form well past the header ring's size and check that each task got exactly its own argument.
describe("every message form reaches the worker intact, in any order", () => {
  it("arguments that look like protocol messages are not mistaken for them", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 4 });
    const identity = fixture<(x: unknown) => unknown>("identity");
    const lookalikes: unknown[] = [
      [0, 8, 1],
      [-1, 0, { kind: "module" }, 8, 1],
      [2, 0, 0, "x"],
      [0],
      [],
      undefined,
      null,
      0,
      "[0,8,1]",
    ];
    for (let round = 0; round < 5; round++) {
      for (const v of lookalikes) expect(await pool.submit(identity, v)).toEqual(v);
    }
  });

  it("lone tasks, batches, new targets and context-carrying tasks interleave over many ring turns", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, window: 4 });
    const identity = fixture<(x: unknown) => unknown>("identity");
    const add = fixture<(a: number, b: number) => number>("add");
    // the same name as the fixture module's ContextLocal, so the worker sees this value
    const requestId = new ContextLocal<string>({ name: "test.requestId", default: "none", propagate: true });
    let checked = 0;
    for (let round = 0; round < 40; round++) {
      // a lone task (bare argument)
      expect(await pool.submit(identity, [round, 8, round])).toEqual([round, 8, round]);
      // a burst: batched lists
      const burst = Array.from({ length: 9 }, (_, i) => pool.submit(add, round, i));
      const sums = await Promise.all(burst);
      expect(sums).toEqual(Array.from({ length: 9 }, (_, i) => round + i));
      // a lone task with a propagated context (a list with the context)
      const seen = await requestId.run(`r${round}`, () =>
        pool.submit(fixture<() => unknown>("readRequestId")),
      );
      expect(seen).toBe(`r${round}`);
      // a first use of a self-contained function (a list with its definition)
      expect(await pool.submit((n: number) => n * 2, round)).toBe(round * 2);
      checked += 12;
    }
    expect(checked).toBe(480);
  });

  it("a task that posts on parentPort fails with ReservedPortError, and the pool's own messages stay in step", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 2 });
    const identity = fixture<(x: unknown) => unknown>("identity");
    for (let i = 0; i < 10; i++) {
      const err = await pool.submit(fixture<(t: string) => string>("postOnParentPort"), "hello").exception();
      // rebuilt on this side by name, message and stack, like every task error of a class of its own
      expect((err as Error).name).toBe("ReservedPortError");
      expect((err as Error).message).toMatch(/parentPort is reserved/);
      expect(await pool.submit(identity, [2, 0, 0, i])).toEqual([2, 0, 0, i]);
    }
  });
});
