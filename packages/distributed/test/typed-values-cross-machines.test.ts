import { DistributedExecutor, TimeoutError } from "@weft/distributed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, task } from "./helpers.js";

const queue = freshQueue("values");
let ex: DistributedExecutor;
beforeAll(async () => {
  await serveHere(queue, { concurrency: 4 });
  ex = new DistributedExecutor({ connection: redisUrl(), queue });
});
afterAll(() => ex.shutdown());

describe("values keep their types across machines", () => {
  it("Date, Map, Set, BigInt, typed arrays, RegExp, nested structures, cycles and shared references", async () => {
    const shared = { n: 1 };
    const value: Record<string, unknown> = {
      when: new Date(1_700_000_000_000),
      map: new Map<unknown, unknown>([
        [1n, new Set(["a", { deep: [new Uint8Array([1, 2, 3])] }])],
        ["k", new Map([[2, -0]])],
      ]),
      big: 2n ** 70n,
      floats: new Float64Array([1.5, Number.NaN]),
      re: /we+ft/gi,
      nested: { a: [shared, shared], u: undefined, n: null, inf: Number.POSITIVE_INFINITY },
    };
    value.self = value;
    const back = (await ex.submit(task("echo"), value)) as typeof value;
    expect(back.when).toEqual(value.when);
    expect(back.map).toEqual(value.map);
    expect(back.big).toBe(2n ** 70n);
    expect(back.floats).toBeInstanceOf(Float64Array);
    expect(Array.from(back.floats as Float64Array)).toEqual([1.5, Number.NaN]);
    expect(back.re).toEqual(/we+ft/gi);
    expect(back.self).toBe(back);
    const nested = back.nested as { a: unknown[]; u: unknown };
    expect(nested.a[0]).toBe(nested.a[1]);
    expect("u" in nested).toBe(true);
  });

  it("plain lists keep what JSON would lose: -0, NaN, Infinity, undefined, holes", async () => {
    const sparse = [1, 2, 3];
    delete sparse[1]; // a hole, not undefined
    const back = await ex.submit(task("echo"), [
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      undefined,
      "s",
      true,
      null,
    ]);
    expect(back).toEqual([-0, Number.NaN, Number.POSITIVE_INFINITY, undefined, "s", true, null]);
    expect(Object.is((back as unknown[])[0], -0)).toBe(true);
    const holes = (await ex.submit(task("echo"), sparse)) as unknown[];
    expect(1 in holes).toBe(false);
    expect(await ex.submit(task("echo"), "plain string")).toBe("plain string");
  });

  it("a task's error keeps its class, message, stack, code and own properties (typed too)", async () => {
    const err = (await ex.submit(task("fail"), "bad input").exception()) as RangeError & {
      code: string;
      detail: Map<string, Date>;
    };
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe("bad input");
    expect(err.code).toBe("E_TASK");
    expect(err.detail.get("when")).toEqual(new Date(0));
    expect(err.stack).toMatch(/at fail \(.*fixtures\/tasks\.mjs/); // the worker's stack
  });

  it("errors nested in arguments and results keep their class, cause and registered weft class", async () => {
    const cause = new TypeError("inner");
    const agg = new AggregateError([new URIError("u")], "many", { cause });
    const weft = new TimeoutError("weft's own");
    const back = (await ex.submit(task("echo"), { agg, weft, list: [cause] })) as {
      agg: AggregateError;
      weft: TimeoutError;
      list: TypeError[];
    };
    expect(back.agg).toBeInstanceOf(AggregateError);
    expect(back.agg.errors[0]).toBeInstanceOf(URIError);
    expect(back.agg.cause).toBeInstanceOf(TypeError);
    expect(back.agg.cause).toBe(back.list[0]); // shared references survive inside errors too
    expect(back.weft).toBeInstanceOf(TimeoutError);
    expect(back.weft.message).toBe("weft's own");
    expect((back.weft as unknown as { code: string }).code).toBe("ERR_WEFT_TIMEOUT");
  });

  it("currentJob() tells a task its job in its synchronous part, and nothing (never another job's) after an await", async () => {
    const futures = [1, 2, 3].map(() => ex.submit(task("jobAfterAwait")));
    const seen = await Promise.all(futures);
    expect(seen.map((s) => s.before)).toEqual(futures.map((f) => f.jobId));
    expect(seen.map((s) => s.after)).toEqual([undefined, undefined, undefined]);
  });
});
