import { ThreadPoolExecutor } from "@weft/pool";
import { MarshalError } from "@weft/sync";
import { describe, expect, it } from "vitest";

describe("a task result that cannot be sent back", () => {
  it("fails the task with a MarshalError (the class, its code and path), not a plain Error", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const err = (await pool.submit(() => ({ ok: 1, nested: { fn: () => 1 } })).exception()) as MarshalError;
    expect(err).toBeInstanceOf(MarshalError);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.code).toBe("ERR_WEFT_MARSHAL");
    expect(err.path).toBe("result.nested.fn");
    expect(err.message).toMatch(/^result\.nested\.fn is a function: functions cannot cross threads/);
  });
});
