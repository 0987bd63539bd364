import { PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// A function passed where options belong (`new ThreadPoolExecutor(task)`) is named as a function; its source
// text, which can be any length, is not copied into the message.
describe("a function given as options is named a function", () => {
  it("executor options, respawn and resourceLimits", () => {
    function task(): number {
      return 1 + 1;
    }
    expect(() => new ThreadPoolExecutor(task as never)).toThrow(
      new PoolOptionError(
        "ThreadPoolExecutor options must be an object such as { maxWorkers: ... }, got a function",
      ),
    );
    expect(() => new ThreadPoolExecutor({ respawn: task as never })).toThrow(
      new PoolOptionError("respawn must be an object such as { retries: 5, backoffMs: 100 }, got a function"),
    );
    expect(() => new ThreadPoolExecutor({ resourceLimits: task as never })).toThrow(
      new PoolOptionError(
        "resourceLimits must be an object such as { maxOldGenerationSizeMb: 256 }, got a function",
      ),
    );
  });
});
