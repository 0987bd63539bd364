import { describe, expect, it } from "vitest";
import { deserializeError, serializeError } from "../src/error-transport.js";

const roundTrip = (thrown: unknown): unknown => deserializeError(structuredClone(serializeError(thrown)));

describe("error transport", () => {
  it("keeps built-in error classes, message, stack, code and cloneable own properties", () => {
    const original = Object.assign(new TypeError("bad type"), {
      code: "E_TYPE",
      info: { n: 1 },
      fn: () => 1,
    });
    const copy = roundTrip(original) as TypeError & { code?: string; info?: unknown; fn?: unknown };
    expect(copy).toBeInstanceOf(TypeError);
    expect(copy.message).toBe("bad type");
    expect(copy.stack).toBe(original.stack);
    expect(copy.code).toBe("E_TYPE");
    expect(copy.info).toEqual({ n: 1 });
    expect(copy.fn).toBeUndefined();
  });

  it("keeps custom names, cause chains and AggregateError members", () => {
    class NotFound extends Error {
      override name = "NotFound";
    }
    const original = new AggregateError([new NotFound("a"), new RangeError("b")], "several", {
      cause: new NotFound("root", { cause: "text cause" }),
    });
    const copy = roundTrip(original) as AggregateError;
    expect(copy).toBeInstanceOf(AggregateError);
    expect(copy.errors.map((e: Error) => `${e.name}:${e.message}`)).toEqual(["NotFound:a", "RangeError:b"]);
    const cause = copy.cause as Error;
    expect(cause.name).toBe("NotFound");
    expect(cause.cause).toBe("text cause");
  });

  it("rebuilds DOMExceptions such as the default abort reason", () => {
    const copy = roundTrip(new DOMException("This operation was aborted", "AbortError")) as DOMException;
    expect(copy).toBeInstanceOf(DOMException);
    expect(copy.name).toBe("AbortError");
  });

  it("passes other thrown values through, or their description when they cannot be cloned", () => {
    expect(roundTrip(42)).toBe(42);
    expect(roundTrip({ plain: ["data"] })).toEqual({ plain: ["data"] });
    expect(roundTrip(Symbol("s"))).toBe("Symbol(s)");
  });

  it("stops following a cause chain that loops", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as Error & { cause?: unknown }).cause = b;
    let copy = roundTrip(a) as Error;
    let depth = 0;
    while (copy.cause instanceof Error) {
      copy = copy.cause;
      depth++;
    }
    expect(depth).toBeLessThan(10);
  });
});
