import { ThreadPoolExecutor } from "@weft/pool";
import { MarshalError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { deepArray, thrownBy } from "./helpers.js";

describe("arguments that cannot cross threads are refused at submit with a MarshalError and their path", () => {
  it("a Symbol anywhere: alone, after another argument, inside objects, arrays, Maps and Sets", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = (..._args: unknown[]) => 1;
    const cases: [unknown[], string][] = [
      [[Symbol("a")], "args[0]"],
      [[1, Symbol("a")], "args[1]"],
      [[1, { x: Symbol("a") }], "args[1].x"],
      [[[0, Symbol("a")]], "args[0][1]"],
      [[new Map([["k", Symbol("a")]])], 'args[0].get("k")'],
      [[new Map([[Symbol("k"), 1]])], "args[0].keys()[0]"],
      [[new Set([Symbol("a")])], "args[0].values()[0]"],
    ];
    for (const [args, path] of cases) {
      const err = thrownBy(() => pool.submit(f, ...args));
      expect(err).toBeInstanceOf(MarshalError);
      expect((err as MarshalError).path).toBe(path);
      expect((err as Error).message).toMatch(/is a symbol/);
    }
    expect(thrownBy(() => pool.submitWith({}, f, Symbol("a")))).toBeInstanceOf(MarshalError);
    await expect(pool.run(f, Symbol("a"))).rejects.toBeInstanceOf(MarshalError);
    expect(pool.stats.queued + pool.stats.inflight).toBe(0);
    expect(await pool.submit(f, "still works")).toBe(1);
  });

  it("a Proxy anywhere, whatever it wraps", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = (..._args: unknown[]) => 1;
    const cases: [unknown[], string][] = [
      [[new Proxy({}, {})], "args[0]"],
      [[new Proxy([1, 2], {})], "args[0]"],
      [[new Proxy(new ArrayBuffer(8), {})], "args[0]"],
      [[new Proxy(new Date(), {})], "args[0]"],
      [[1, [new Proxy({ a: 1 }, {})]], "args[1][0]"],
      [[{ x: new Proxy({}, {}) }], "args[0].x"],
      [[new Map([["k", new Proxy({}, {})]])], 'args[0].get("k")'],
      [[new Set([new Proxy([], {})])], "args[0].values()[0]"],
    ];
    for (const [args, path] of cases) {
      const err = thrownBy(() => pool.submit(f, ...args));
      expect(err).toBeInstanceOf(MarshalError);
      expect((err as MarshalError).path).toBe(path);
      expect((err as Error).message).toMatch(/is a Proxy/);
    }
  });

  it("an argument nested 200,000 levels deep is a MarshalError with a shortened path, not a stack overflow", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const err = thrownBy(() => pool.submit((_d: unknown) => 1, deepArray(200_000)));
    expect(err).toBeInstanceOf(MarshalError);
    expect((err as MarshalError).path).toMatch(/^args\[0\](\[0\])+…$/);
    expect((err as Error).message).toMatch(/nested more than 1000 levels deep/);
    let obj: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) obj = { next: obj };
    const err2 = thrownBy(() => pool.submit((_d: unknown) => 1, obj));
    expect((err2 as MarshalError).path).toMatch(/^args\[0\](\.next)+…$/);
    // 1000 levels still cross
    const ok = await pool.submit((d: unknown) => {
      let n = 0;
      for (let x = d as unknown[]; x.length > 0; x = x[0] as unknown[]) n++;
      return n;
    }, deepArray(999));
    expect(ok).toBe(999);
  });

  it("initArgs with a Symbol are refused when the pool is created", () => {
    const err = thrownBy(
      () => new ThreadPoolExecutor({ initializer: (_s: unknown) => {}, initArgs: [Symbol("s")] }),
    );
    expect(err).toBeInstanceOf(MarshalError);
    expect((err as MarshalError).path).toBe("initArgs[0]");
  });
});

describe("results that cannot cross threads reject the future with a MarshalError at `result`", () => {
  it("a Symbol, a Proxy, and a result nested 200,000 levels deep", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const sym = pool.submit(() => Symbol("r"));
    const nested = pool.submit(() => ({ list: [1, Symbol("r")] }));
    const proxy = pool.submit(() => new Proxy({}, {}));
    const deep = pool.submit(() => {
      let d: unknown[] = [];
      for (let i = 0; i < 200_000; i++) d = [d];
      return d;
    });
    const results = await Promise.allSettled([sym, nested, proxy, deep]);
    const reasons = results.map((r) => (r.status === "rejected" ? r.reason : r.value));
    // (That it also arrives as the MarshalError class, not only with its code, is issue 14's item 10.)
    for (const r of reasons) expect(r).toMatchObject({ name: "MarshalError", code: "ERR_WEFT_MARSHAL" });
    expect(reasons.map((r) => (r as MarshalError).path)).toEqual([
      "result",
      "result.list[1]",
      "result",
      expect.stringMatching(/^result(\[0\])+…$/),
    ]);
    expect(await pool.submit(() => "the worker is fine")).toBe("the worker is fine");
  });
});
