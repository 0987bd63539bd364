import { PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// The option checks count inherited enumerable keys as options (a misspelt inherited key is refused), so an
// inherited known option must be used too, not dropped while the options are split between the executor and
// its worker threads.
describe("ThreadPoolExecutor options inherited from a prototype are used", () => {
  it("an inherited executor option is checked", () => {
    expect(() => new ThreadPoolExecutor(Object.create({ maxWorkers: 5000 }) as object)).toThrow(
      PoolOptionError,
    );
  });

  it("an inherited initializer runs", async () => {
    const defaults = {
      initializer: () => {
        (globalThis as { fromInitializer?: number }).fromInitializer = 42;
      },
      maxWorkers: 1,
    };
    const pool = new ThreadPoolExecutor(
      Object.assign(Object.create(defaults) as object, { name: "inherited" }),
    );
    try {
      expect(await pool.submit(() => (globalThis as { fromInitializer?: number }).fromInitializer)).toBe(42);
    } finally {
      await pool.shutdown();
    }
  });
});
