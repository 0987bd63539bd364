import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Future } from "../src/index.js";

// Python's Future repr: <Future at 0x... state=pending>, state=running, state=cancelled,
// state=finished returned int, state=finished raised TypeError.
describe("Future repr (util.inspect and toString)", () => {
  it("shows pending, running and cancelled", () => {
    const pending = new Future<number>();
    expect(String(pending)).toBe("Future <pending>");
    expect(inspect(pending)).toBe("Future <pending>");

    const running = new Future<number>();
    running.setRunningOrNotifyCancel();
    expect(running.toString()).toBe("Future <running>");
    expect(inspect(running)).toBe("Future <running>");

    const cancelled = new Future<number>();
    cancelled.cancel();
    expect(`${cancelled}`).toBe("Future <cancelled>");
    expect(inspect(cancelled)).toBe("Future <cancelled>");
  });

  it("names the type of the result and the class of the error, not their contents", () => {
    const n = new Future<number>();
    n.setResult(42);
    expect(String(n)).toBe("Future <finished returned number>");
    expect(inspect(n)).toBe("Future <finished returned number>");

    const cases: [unknown, string][] = [
      ["s", "string"],
      [undefined, "undefined"],
      [null, "null"],
      [10n, "bigint"],
      [true, "boolean"],
      [[1, 2], "Array"],
      [{ secret: "do not print" }, "Object"],
      [new Map(), "Map"],
      [Object.create(null), "object"],
    ];
    for (const [value, type] of cases) {
      const f = new Future<unknown>();
      f.setResult(value);
      expect(inspect(f)).toBe(`Future <finished returned ${type}>`);
    }

    const failed = new Future<number>();
    failed.setException(new TypeError("bad"));
    expect(String(failed)).toBe("Future <finished raised TypeError>");
    expect(inspect(failed)).toBe("Future <finished raised TypeError>");
    const thrownString = new Future<number>();
    thrownString.setException("oops");
    expect(inspect(thrownString)).toBe("Future <finished raised string>");
  });

  it("nests inside other inspected values", () => {
    const f = new Future<number>();
    expect(inspect({ f })).toBe("{ f: Future <pending> }");
    expect(inspect([f])).toBe("[ Future <pending> ]");
  });
});
