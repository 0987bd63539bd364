import { ContextLocal } from "@weft/local-storage";
import { ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

const requestId = new ContextLocal<string>({ name: "test.requestId", default: "none", propagate: true });

describe("context propagation", () => {
  it("a propagating ContextLocal set at submit is visible inside the task, per task", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const read = fixture<(delay: number) => Promise<string>>("readRequestId");
    const a = requestId.run("req-a", () => pool.submit(read, 20));
    const b = requestId.run("req-b", () => pool.submit(read, 1));
    const none = pool.submit(read, 0);
    expect(await Promise.all([a, b, none])).toEqual(["req-a", "req-b", "none"]);
  });

  it("map carries the caller's context to every item", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const out: string[] = [];
    await requestId.run("req-map", async () => {
      for await (const v of pool.mapWith(
        { chunksize: 2 },
        fixture<(d: number) => Promise<string>>("readRequestId"),
        [0, 0, 0],
      )) {
        out.push(v);
      }
    });
    expect(out).toEqual(["req-map", "req-map", "req-map"]);
  });
});

describe("ThreadLocal in pool workers", () => {
  it("keeps its value across the tasks a worker runs", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const count = fixture<() => [number, number]>("countCalls");
    const results: [number, number][] = [];
    for (let i = 0; i < 5; i++) results.push(await pool.submit(count));
    const thread = results[0]![0];
    expect(results).toEqual([1, 2, 3, 4, 5].map((n) => [thread, n]));
  });

  it("has one value per worker thread", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2 });
    const spin = fixture<(ms: number) => number>("spin");
    await Promise.all([pool.submit(spin, 30), pool.submit(spin, 30)]);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => pool.submit(fixture<() => [number, number]>("countCalls"))),
    );
    const perThread = new Map<number, number[]>();
    for (const [t, n] of results) perThread.set(t, [...(perThread.get(t) ?? []), n]);
    let total = 0;
    for (const counts of perThread.values()) {
      // each thread counts 1, 2, 3, ... on its own
      expect(counts.slice().sort((x, y) => x - y)).toEqual(counts.map((_, i) => i + 1));
      total += counts.length;
    }
    expect(total).toBe(40);
  });
});
