import { describe, expect, it } from "vitest";
import {
  ALL_COMPLETED,
  asCompleted,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  TimeoutError,
  wait,
} from "../src/index.js";

function later<T>(f: Future<T>, ms: number, value: T): void {
  setTimeout(() => f.setResult(value), ms);
}

describe("wait", () => {
  it("ALL_COMPLETED waits for every future", async () => {
    const fs = [new Future<number>(), new Future<number>(), new Future<number>()];
    for (const [i, f] of fs.entries()) later(f, 5 * i, i);
    const { done, notDone } = await wait(fs, { returnWhen: ALL_COMPLETED });
    expect(done.size).toBe(3);
    expect(notDone.size).toBe(0);
  });

  it("FIRST_COMPLETED returns after the first", async () => {
    const fast = new Future<string>();
    const slow = new Future<string>();
    later(fast, 1, "fast");
    const { done, notDone } = await wait([fast, slow], { returnWhen: FIRST_COMPLETED });
    expect([...done]).toEqual([fast]);
    expect([...notDone]).toEqual([slow]);
  });

  it("FIRST_EXCEPTION returns at the first failure, else when all are done", async () => {
    const ok = new Future<number>();
    const bad = new Future<number>();
    const never = new Future<number>();
    ok.setResult(1);
    setTimeout(() => bad.setException(new Error("x")), 2);
    const r = await wait([ok, bad, never], { returnWhen: FIRST_EXCEPTION });
    expect(r.done).toEqual(new Set([ok, bad]));
    expect(r.notDone).toEqual(new Set([never]));

    const a = new Future<number>();
    const b = new Future<number>();
    later(a, 1, 1);
    later(b, 3, 2);
    const all = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
    expect(all.done.size).toBe(2);
  });

  it("returns what is done when the timeout passes (never throws)", async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    a.setResult(1);
    const r = await wait([a, b], { timeout: 10 });
    expect(r.done).toEqual(new Set([a]));
    expect(r.notDone).toEqual(new Set([b]));
  });

  it("counts a cancelled future as done", async () => {
    const a = new Future<number>();
    setTimeout(() => a.cancel(), 1);
    const r = await wait([a]);
    expect(r.done.has(a)).toBe(true);
  });

  it("rejects a bad returnWhen (the promise rejects; wait never throws synchronously)", async () => {
    await expect(wait([], { returnWhen: "SOMETIMES" as never })).rejects.toThrow(TypeError);
  });
});

describe("asCompleted", () => {
  it("yields done futures first, then in completion order, each once", async () => {
    const a = new Future<string>();
    const b = new Future<string>();
    const c = new Future<string>();
    c.setResult("c");
    later(a, 20, "a");
    later(b, 5, "b");
    const order: string[] = [];
    const yielded: unknown[] = [];
    for await (const f of asCompleted([a, b, c, a])) {
      yielded.push(f);
      order.push(await f);
    }
    expect(order).toEqual(["c", "b", "a"]);
    // at run time the loop variable is the Future itself (TypeScript types it as the awaited result)
    expect(yielded).toEqual([c, b, a]);
    expect(yielded.every((f) => f instanceof Future && f.done())).toBe(true);
  });

  it("throws TimeoutError when futures remain at the deadline", async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    a.setResult(1);
    const got: Future<number>[] = [];
    await expect(
      (async () => {
        for await (const f of asCompleted([a, b], { timeout: 15 })) got.push(f as unknown as Future<number>);
      })(),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(got).toEqual([a]);
  });

  it("property: yields every future exactly once whatever the completion order", async () => {
    const fc = await import("fast-check");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(5), { minLength: 1, maxLength: 12 }), async (delays) => {
        const fs = delays.map(() => new Future<number>());
        fs.forEach((f, i) => {
          if (delays[i] === 0) f.setResult(i);
          else setTimeout(() => f.setResult(i), delays[i]);
        });
        const seen: number[] = [];
        for await (const f of asCompleted(fs)) seen.push(await f);
        expect(seen.slice().sort((x, y) => x - y)).toEqual(delays.map((_, i) => i));
      }),
      { numRuns: 30 },
    );
  });
});
