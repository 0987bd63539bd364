import { describeThrown, isDetachedBuffer } from "@weft/sync/extension";
import { describe, expect, it } from "vitest";

describe("describeThrown", () => {
  it("names an Error's class and message", () => {
    expect(describeThrown(new RangeError("too big"))).toBe("RangeError: too big");
  });

  it("describes other values as strings, symbols included", () => {
    expect(describeThrown("plain")).toBe("plain");
    expect(describeThrown(42)).toBe("42");
    expect(describeThrown(Symbol("s"))).toBe("Symbol(s)");
  });

  it("never throws, even for a value that cannot be turned into a string", () => {
    expect(describeThrown(Object.create(null))).toBe("a value that cannot be described");
    const hostile = new Error("x");
    Object.defineProperty(hostile, "message", {
      get() {
        throw new Error("no");
      },
    });
    expect(describeThrown(hostile)).toBe("a value that cannot be described");
  });
});

describe("isDetachedBuffer", () => {
  it("is true only once a buffer's memory was transferred away", () => {
    const buffer = new ArrayBuffer(8);
    const empty = new ArrayBuffer(0);
    expect(isDetachedBuffer(buffer)).toBe(false);
    expect(isDetachedBuffer(empty)).toBe(false);
    structuredClone(buffer, { transfer: [buffer] });
    structuredClone(empty, { transfer: [empty] });
    expect(isDetachedBuffer(buffer)).toBe(true);
    expect(isDetachedBuffer(empty)).toBe(true);
  });
});
