import { MarshalError, ProcessPoolExecutor } from "@weft/process-pool";
import { Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("values that cannot cross a process boundary", () => {
  it("an argument that cannot be serialized throws at submit, naming its path", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const id = fixture("identity");
    const cases: [unknown, RegExp][] = [
      [{ a: [1, { handler: () => 1 }] }, /^args\[0\]\.a\[1\]\.handler is a function/],
      [{ shared: new SharedArrayBuffer(8) }, /^args\[0\]\.shared is a SharedArrayBuffer/],
      [
        [new Int32Array(new SharedArrayBuffer(8))],
        /^args\[0\]\[0\] is a Int32Array over a SharedArrayBuffer/,
      ],
      [{ lock: new Lock() }, /^args\[0\]\.lock is a Lock in memory shared only between threads/],
      [new Map([["k", new (class Point {})()]]), /^args\[0\]\.get\("k"\) is an instance of Point/],
    ];
    for (const [value, message] of cases) {
      let thrown: unknown;
      try {
        ex.submit(id, value);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(MarshalError);
      expect((thrown as Error).message).toMatch(message);
    }
    expect(() => ex.submitWith({}, id, { s: new SharedArrayBuffer(4) })).toThrow(/^args\[0\]\.s /);
    await expect(ex.run(id, { s: new SharedArrayBuffer(4) })).rejects.toThrow(/^args\[0\]\.s /);
    // the pool is unaffected and nothing was queued
    expect(ex.stats.queued + ex.stats.inflight).toBe(0);
    expect(await ex.submit(id, { ok: [1, 2, 3] })).toEqual({ ok: [1, 2, 3] });
  });

  it("map names the item that cannot cross", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const items = [{ n: 1 }, { n: 2 }, { n: new SharedArrayBuffer(1) }];
    const out: unknown[] = [];
    await expect(async () => {
      for await (const v of ex.map(fixture("identity"), items)) out.push(v);
    }).rejects.toThrow(/^items\[2\]\.n is a SharedArrayBuffer/);
  });

  it("initArgs that cannot cross are rejected when the executor is created", () => {
    expect(
      () =>
        new ProcessPoolExecutor({
          initializer: fixture("init"),
          initArgs: [{ b: new SharedArrayBuffer(4) }],
        }),
    ).toThrow(/^initArgs\[0\]\.b is a SharedArrayBuffer/);
  });

  it("a result that cannot be serialized fails only that task, naming the path; the child stays", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const before = await ex.submit(fixture<() => number>("pid"));
    const fnErr = (await ex.submit(fixture("returnsFunction")).exception()) as Error;
    expect(fnErr.name).toBe("MarshalError");
    expect(fnErr.message).toMatch(/^result\.nested\.fn is a function/);
    const sabErr = (await ex.submit(fixture("returnsShared")).exception()) as Error;
    expect(sabErr.name).toBe("MarshalError");
    expect(sabErr.message).toMatch(/^result\.rows\[2\]\.buffer is a SharedArrayBuffer/);
    const lockErr = (await ex.submit(fixture("returnsThreadLock")).exception()) as Error;
    expect(lockErr.name).toBe("MarshalError");
    expect(lockErr.message).toMatch(/^result\.lock is a Lock in memory shared only between threads/);
    // tasks around a bad result in the same batch are unaffected, and it is the same child
    const batch = [
      ex.submit(fixture("add"), 1, 1),
      ex.submit(fixture("returnsShared")),
      ex.submit(fixture("add"), 2, 2),
    ];
    const settled = await Promise.allSettled(batch);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await ex.submit(fixture<() => number>("pid"))).toBe(before);
  });
});
