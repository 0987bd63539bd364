import { MarshalError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";

// A task that throws a value that cannot reach the parent (not an Error, and not clonable) fails with a
// MarshalError at `error...` whose message speaks of processes, not with the value's String() text.

describe("a task in a child that throws a value that cannot cross", () => {
  it("fails with a MarshalError naming the path and what was thrown; values that can cross arrive as they are", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const fn = (await ex
      .submit(() => {
        throw function handler() {
          return "SOURCE-OF-THE-THROWN-FUNCTION";
        };
      })
      .exception({ timeout: 20_000 })) as MarshalError;
    expect(fn).toBeInstanceOf(MarshalError);
    expect(fn.path).toBe("error");
    expect(fn.message).toMatch(/^error is a function: functions cannot cross processes; /);
    expect(fn.message).toMatch(/what was thrown: a function named "handler"/);
    expect(fn.message).not.toContain("SOURCE-OF-THE-THROWN-FUNCTION");

    const obj = (await ex
      .submit(async () => {
        throw { code: 1, callback() {} };
      })
      .exception({ timeout: 20_000 })) as MarshalError;
    expect(obj).toBeInstanceOf(MarshalError);
    expect(obj.path).toBe("error.callback");
    expect(obj.message).toMatch(/what was thrown: a plain object with keys code, callback/);

    expect(
      await ex
        .submit(() => {
          throw { plain: [1, "two"] };
        })
        .exception(),
    ).toEqual({ plain: [1, "two"] });
    expect(
      await ex
        .submit(() => {
          throw "text";
        })
        .exception(),
    ).toBe("text");
  });
});
