import { describe, expect, it } from "vitest";
import { checkOptionKeys } from "../src/extension.js";
import { Event, Lock } from "../src/index.js";
import { thrownBy } from "./thrown-by.js";

// A symbol is never an option name: in a constructor's options (checked once, with everyKey), an own enumerable
// symbol key is as unknown as a misspelt string key, and is refused rather than ignored. (Per-call options of
// waits, tasks and encodes are checked for string keys only: that check allocates nothing.)
describe("an options object with a symbol key is refused", () => {
  const keys = new Set(["wait", "cancelFutures"]);
  const make = (m: string) => new RangeError(m);

  it("checkOptionKeys throws the caller's error naming the symbol and the valid keys", () => {
    const e = thrownBy(() =>
      checkOptionKeys("shutdown options", { wait: true, [Symbol("wiat")]: 1 }, keys, make, true),
    );
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe(
      "shutdown options: unknown option Symbol(wiat) (option names are strings); valid options: wait, cancelFutures",
    );
  });

  it("a non-enumerable symbol key is not an option, as a non-enumerable string key is not", () => {
    const options = Object.defineProperty({ wait: true }, Symbol("hidden"), { value: 1, enumerable: false });
    expect(() => checkOptionKeys("shutdown options", options, keys, make, true)).not.toThrow();
  });

  it("the primitives' constructors refuse it with a TypeError", () => {
    const s = Symbol("memory");
    expect(() => new Lock({ [s]: {} } as never)).toThrow(
      new TypeError(
        "new Lock options: unknown option Symbol(memory) (option names are strings); valid options: memory, waiter",
      ),
    );
    expect(() => new Event({ [s]: {} } as never)).toThrow(
      /^new Event options: unknown option Symbol\(memory\)/,
    );
  });
});
