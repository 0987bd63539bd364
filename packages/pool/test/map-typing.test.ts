import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, expectTypeOf, it } from "vitest";

// Compile-time checks (run by `tsc --noEmit`, which includes test/): map and mapWith infer fn's parameters
// from the iterables' element types (and check them against an annotated fn), and type the results.
describe("map typing", () => {
  it("infers parameters from the iterables and the result from fn", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const sums = pool.map((x, y) => x + y, [1, 2], [10, 20]);
    expectTypeOf(sums).toEqualTypeOf<AsyncGenerator<number, void, undefined>>();
    const labels = pool.map(
      (n, s) => `${s}${n.toFixed(0)}`,
      [1],
      (async function* () {
        yield "a";
      })(),
    );
    expectTypeOf(labels).toEqualTypeOf<AsyncGenerator<string, void, undefined>>();
    const annotated = pool.mapWith(
      { chunksize: 2 },
      (x: number, flag: boolean) => (flag ? x : -x),
      [1],
      [true],
    );
    expectTypeOf(annotated).toEqualTypeOf<AsyncGenerator<number, void, undefined>>();
    const add = moduleTask<(a: number, b: number) => Promise<number>>(
      new URL("./fixtures/tasks.mjs", import.meta.url),
      "add",
    );
    expectTypeOf(pool.map(add, [1], [2])).toEqualTypeOf<AsyncGenerator<number, void, undefined>>();
    expectTypeOf(pool.mapWith({}, add, [1], [2])).toEqualTypeOf<AsyncGenerator<number, void, undefined>>();

    // @ts-expect-error: the second iterable's elements are not numbers
    expect(() => pool.map((x: number, y: number) => x + y, [1], ["a"])).not.toThrow();
    // @ts-expect-error: one iterable per parameter
    expect(() => pool.map(add, [1])).not.toThrow();
    // @ts-expect-error: options go first, in mapWith
    expect(() => pool.map((x: number) => x, [1], { chunksize: 2 })).toThrow(/mapWith/);

    const out: number[] = [];
    for await (const v of sums) out.push(v);
    for await (const v of annotated) out.push(v);
    for await (const v of pool.map(add, [1], [2])) out.push(v);
    for await (const s of labels) expect(s).toBe("a1");
    expect(out).toEqual([11, 22, 1, 3]);
  });
});
