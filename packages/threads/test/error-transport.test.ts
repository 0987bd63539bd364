import { MessageChannel } from "node:worker_threads";
import * as threads from "@weft/threads/extension";
import { describe, expect, it } from "vitest";
import { deserializeError } from "../src/error-deserialize.js";
import { isTransportedError, serializeError, type TransportedError } from "../src/error-serialize.js";

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

  it("passes other thrown values through, or a MarshalError at `error` when they cannot be cloned", () => {
    expect(roundTrip(42)).toBe(42);
    expect(roundTrip({ plain: ["data"] })).toEqual({ plain: ["data"] });
    // (Was their String() text, "Symbol(s)"; see thrown-value-that-cannot-cross-is-a-marshal-error.test.ts.)
    const symbol = roundTrip(Symbol("s")) as Error & { code?: string; path?: string };
    expect(symbol.name).toBe("MarshalError");
    expect(symbol.code).toBe("ERR_WEFT_MARSHAL");
    expect(symbol.path).toBe("error");
    expect(symbol.message).toMatch(/^error is a symbol: .*what was thrown: Symbol\(s\)/);
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

  it("rejects data that serializeError() did not make, with a TypeError that says what to pass", () => {
    for (const made of [serializeError(new Error("x")), serializeError("text"), serializeError(undefined)]) {
      expect(isTransportedError(structuredClone(made))).toBe(true);
    }
    const bad = [
      undefined,
      null,
      42,
      "Error: x",
      new Error("x"),
      { name: "Error", message: "x" },
      { error: true },
    ];
    for (const data of bad) expect(isTransportedError(data)).toBe(false);
    for (const data of bad) {
      expect(() => deserializeError(data as unknown as TransportedError)).toThrow(
        /deserializeError\(data\): data must be what serializeError\(\) returned/,
      );
    }
  });

  it("is the package's extension API, and its data crosses a real MessagePort", async () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const received = new Promise<TransportedError>((resolve) => {
        port2.once("message", resolve);
      });
      const original = Object.assign(new SyntaxError("unexpected token", { cause: new Error("root") }), {
        code: "E_PARSE",
      });
      port1.postMessage(threads.serializeError(original));
      const copy = threads.deserializeError(await received) as SyntaxError & { code?: string };
      expect(copy).toBeInstanceOf(SyntaxError);
      expect(copy.code).toBe("E_PARSE");
      expect(copy.stack).toBe(original.stack);
      expect((copy.cause as Error).message).toBe("root");
    } finally {
      port1.close();
      port2.close();
    }
  });
});
