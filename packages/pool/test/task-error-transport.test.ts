import { ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

describe("errors thrown by tasks cross back intact (the @weft/threads error transport)", () => {
  it("keeps a custom class's name, its code, the cause chain and the worker's stack", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const err = (await pool
      .submit(() => {
        class NotFound extends Error {
          override name = "NotFound";
        }
        const e = Object.assign(new NotFound("no such user", { cause: new TypeError("bad id") }), {
          code: "E_NOT_FOUND",
          details: { id: 7 },
        });
        throw e;
      })
      .exception()) as Error & { code?: string; details?: unknown };
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("NotFound");
    expect(err.message).toBe("no such user");
    expect(err.code).toBe("E_NOT_FOUND");
    expect(err.details).toEqual({ id: 7 });
    expect(err.stack).toMatch(/^NotFound: no such user/);
    expect(err.cause).toBeInstanceOf(TypeError);
    expect((err.cause as Error).message).toBe("bad id");
  });

  it("rebuilds an AggregateError with its members, and passes thrown non-Errors through", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const agg = (await pool
      .submit(async () => {
        throw new AggregateError([new RangeError("a"), new SyntaxError("b")], "both failed");
      })
      .exception()) as AggregateError;
    expect(agg).toBeInstanceOf(AggregateError);
    expect(agg.errors.map((e: Error) => e.constructor.name)).toEqual(["RangeError", "SyntaxError"]);
    expect(
      await pool
        .submit(() => {
          throw "plain text";
        })
        .exception(),
    ).toBe("plain text");
    expect(
      await pool
        .submit(async () => {
          throw { reason: 42 };
        })
        .exception(),
    ).toEqual({ reason: 42 });
  });
});
