import { MarshalError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { deepArray, thrownBy } from "./helpers.js";

describe("arguments that cannot reach a child are refused at submit with their path", () => {
  it("Symbols (a lone one is args[0]) and Proxies anywhere, and data nested 200,000 levels deep", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    const f = (..._args: unknown[]) => 1;
    const cases: [unknown[], string | RegExp, RegExp][] = [
      [[Symbol("a")], "args[0]", /is a symbol/],
      [[1, Symbol("a")], "args[1]", /is a symbol/],
      [[{ x: [Symbol("a")] }], "args[0].x[0]", /is a symbol/],
      [[new Set([Symbol("a")])], "args[0].values()[0]", /is a symbol/],
      [[new Proxy({}, {})], "args[0]", /is a Proxy/],
      [[1, new Map([["k", new Proxy([], {})]])], 'args[1].get("k")', /is a Proxy/],
      [[deepArray(200_000)], /^args\[0\](\[0\])+…$/, /nested more than 1000 levels deep/],
    ];
    for (const [args, path, message] of cases) {
      const err = thrownBy(() => pool.submit(f, ...args));
      expect(err).toBeInstanceOf(MarshalError);
      if (typeof path === "string") expect((err as MarshalError).path).toBe(path);
      else expect((err as MarshalError).path).toMatch(path);
      expect((err as Error).message).toMatch(message);
    }
    expect(thrownBy(() => pool.submitWith({}, f, Symbol("a")))).toBeInstanceOf(MarshalError);
    await expect(pool.run(f, Symbol("a"))).rejects.toBeInstanceOf(MarshalError);
    expect(pool.stats.queued + pool.stats.inflight).toBe(0);
    await expect(async () => {
      for await (const _ of pool.map((x: unknown) => x, [1, Symbol("a")])) {
        // consume
      }
    }).rejects.toThrow(/^items\[1\] is a symbol/);
    expect(await pool.submit(f, "still works")).toBe(1);
  });

  it("results that cannot come back reject the future with a MarshalError at `result`", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    const settled = await Promise.allSettled([
      pool.submit(() => Symbol("r")),
      pool.submit(() => ({ list: [1, Symbol("r")] })),
      pool.submit(() => new Proxy({}, {})),
      pool.submit(() => {
        let d: unknown[] = [];
        for (let i = 0; i < 200_000; i++) d = [d];
        return d;
      }),
    ]);
    const reasons = settled.map((r) => (r.status === "rejected" ? r.reason : r.value));
    // (That it also arrives as the MarshalError class, not only with its code, is issue 14's item 10.)
    for (const r of reasons) expect(r).toMatchObject({ name: "MarshalError", code: "ERR_WEFT_MARSHAL" });
    expect(reasons.map((r) => (r as MarshalError).path)).toEqual([
      "result",
      "result.list[1]",
      "result",
      expect.stringMatching(/^result(\[0\])+…$/),
    ]);
    expect(await pool.submit(() => "the child is fine")).toBe("the child is fine");
  });
});
