import { PoolOptionError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";

// As in the thread pool: an inherited known option is checked and used, not dropped while the options are
// split between the executor and the child processes.
describe("ProcessPoolExecutor options inherited from a prototype are used", () => {
  it("an inherited executor option is checked", () => {
    expect(() => new ProcessPoolExecutor(Object.create({ maxWorkers: 5000 }) as object)).toThrow(
      PoolOptionError,
    );
    expect(() => new ProcessPoolExecutor(Object.create({ window: 0 }) as object)).toThrow(/^window must be/);
  });
});
