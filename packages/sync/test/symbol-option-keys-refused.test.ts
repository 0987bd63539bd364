import { describe, expect, it } from "vitest";
import { checkOptionKeys } from "../src/extension.js";
import { Event, Lock, marshal } from "../src/index.js";

/** What `fn()` threw (it must throw). */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a throw");
}

// A symbol is never an option name: an own enumerable symbol key is as unknown as a misspelt string key, and
// is refused rather than ignored.
describe("an options object with a symbol key is refused", () => {
  const keys = new Set(["wait", "cancelFutures"]);
  const make = (m: string) => new RangeError(m);

  it("checkOptionKeys throws the caller's error naming the symbol and the valid keys", () => {
    const e = thrownBy(() =>
      checkOptionKeys("shutdown options", { wait: true, [Symbol("wiat")]: 1 }, keys, make),
    );
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe(
      "shutdown options: unknown option Symbol(wiat) (option names are strings); valid options: wait, cancelFutures",
    );
  });

  it("a non-enumerable symbol key is not an option, as a non-enumerable string key is not", () => {
    const options = Object.defineProperty({ wait: true }, Symbol("hidden"), { value: 1, enumerable: false });
    expect(() => checkOptionKeys("shutdown options", options, keys, make)).not.toThrow();
  });

  it("the primitives' constructors, waits and marshal.encode refuse it with a TypeError", async () => {
    const s = Symbol("memory");
    expect(() => new Lock({ [s]: {} } as never)).toThrow(
      new TypeError(
        "new Lock options: unknown option Symbol(memory) (option names are strings); valid options: memory, waiter",
      ),
    );
    await expect(new Event().wait({ timeout: 1, [s]: 1 } as never)).rejects.toThrow(
      /^Event\.wait options: unknown option Symbol\(memory\)/,
    );
    expect(thrownBy(() => marshal.encode(1, { [s]: true } as never))).toBeInstanceOf(TypeError);
  });
});
