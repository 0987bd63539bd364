import { type Future, moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, expectTypeOf, it } from "vitest";
import { fixture } from "./helpers.js";

// Compile-time checks (run by `tsc --noEmit`, which includes test/): submit infers arguments and result.
describe("typing", () => {
  it("infers arguments and results from functions and typed module targets", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const mul = pool.submit((a: number, b: number) => a * b, 2, 3);
    expectTypeOf(mul).toEqualTypeOf<Future<number>>();
    const text = pool.submit(async (s: string) => s.toUpperCase(), "x");
    expectTypeOf(text).toEqualTypeOf<Future<string>>();
    const add = moduleTask<(a: number, b: number) => number>(
      new URL("./fixtures/tasks.mjs", import.meta.url),
      "add",
    );
    expectTypeOf(pool.submit(add, 1, 2)).toEqualTypeOf<Future<number>>();
    expectTypeOf(pool.run(add, 1, 2)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.submitWith({}, add, 1, 2)).toEqualTypeOf<Future<number>>();
    // @ts-expect-error: wrong argument type
    expect(() => pool.submit((a: number) => a, "nope")).not.toThrow();
    // @ts-expect-error: missing argument
    pool.submit(add, 1).cancel();
    const it = pool.map((x: number) => String(x), [1, 2]);
    expectTypeOf(it).toEqualTypeOf<AsyncGenerator<string, void, undefined>>();
    for await (const _ of it) {
      // drain
    }
    expect(await mul).toBe(6);
    expect(await text).toBe("X");
  });

  it("a module target whose export is missing fails that task with the loader's error", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const err = await pool.submit(fixture("noSuchExport")).exception();
    expect(String((err as Error).message)).toMatch(/noSuchExport/);
    expect(await pool.submit(fixture("add"), 1, 2)).toBe(3);
  });
});
