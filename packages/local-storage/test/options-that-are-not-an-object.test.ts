import { describe, expect, it } from "vitest";
import { ContextLocal, ThreadLocal } from "../src/index.js";
import { thrownBy } from "./thrown-by.js";

// Options that are not an object are refused with a TypeError saying what they are: null is null (not
// "object"), an array is an array (and is not taken for an empty options object).
describe("ContextLocal and ThreadLocal options that are not an object", () => {
  it("new ContextLocal names null, arrays, functions and primitives", () => {
    for (const [bad, got] of [
      [null, "null"],
      [[], "an array"],
      [["requestId"], "an array"],
      [() => 1, "a function"],
      ["requestId", "string"],
    ] as const) {
      const e = thrownBy(() => new ContextLocal(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toBe(
        `new ContextLocal(options): options must be an object such as { name, default, propagate }, got ${got}.`,
      );
    }
  });

  it("new ThreadLocal says the options are not an object before it says init is missing", () => {
    for (const [bad, got] of [
      [null, "null"],
      [[], "an array"],
      [undefined, "undefined"],
      [() => 1, "a function: pass it as { init }"],
    ] as const) {
      const e = thrownBy(() => new ThreadLocal(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toBe(
        `new ThreadLocal(options): options must be an object such as { init, dispose }, got ${got}.`,
      );
    }
    expect(thrownBy(() => new ThreadLocal({ init: 5 } as never)).message).toBe(
      "new ThreadLocal({ init }): init must be a function that creates the thread's value, got number.",
    );
    expect(thrownBy(() => new ThreadLocal({ init: () => 1, dispose: null } as never)).message).toBe(
      "new ThreadLocal({ init, dispose }): dispose must be a function when given, got null.",
    );
  });
});
