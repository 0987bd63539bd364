import { ContextLocal } from "@weft/local-storage";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, processExists } from "./helpers.js";

const requestId = new ContextLocal({ name: "process-pool.test.requestId", default: "none", propagate: true });

describe("maxTasksPerChild", () => {
  it("replaces a child after its quota; each new child runs the initializer; no task is lost", async () => {
    const ex = new ProcessPoolExecutor({
      maxWorkers: 1,
      maxTasksPerChild: 3,
      initializer: fixture("init"),
      initArgs: ["x"],
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => ex.submit(fixture<() => [number, number]>("pidAndInits"))),
    );
    const pids = results.map(([pid]) => pid);
    // consecutive runs of 3 (the last child got 1)
    expect(new Set(pids).size).toBe(4);
    for (let i = 0; i < 10; i++) expect(pids[i]).toBe(pids[i - (i % 3)]);
    for (const [, inits] of results) expect(inits).toBe(1);
    await ex.shutdown();
    for (const pid of pids) expect(processExists(pid)).toBe(false);
  }, 30_000);

  it("works across several targets, contexts and chunks split at quota boundaries", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2, maxTasksPerChild: 10, window: 8 });
    const futures = [];
    for (let i = 0; i < 60; i++) {
      if (i % 3 === 0) futures.push(requestId.run(`r${i}`, () => ex.submit(fixture("readRequestId"))));
      else if (i % 3 === 1) futures.push(ex.submit(fixture("add"), i, 1));
      else futures.push(ex.submit((x: number) => -x, i));
    }
    const values = await Promise.all(futures);
    for (let i = 0; i < 60; i++) {
      expect(values[i]).toBe(i % 3 === 0 ? `r${i}` : i % 3 === 1 ? i + 1 : -i);
    }
    const out: number[] = [];
    for await (const v of ex.mapWith({ chunksize: 5 }, (x: number) => x + 1, [...Array(60).keys()]))
      out.push(v);
    expect(out).toEqual([...Array(60).keys()].map((x) => x + 1));
  }, 30_000);
});
