import { setExcepthook, TargetError, Thread, ThreadOptionError } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./thrown-by.js";

describe("new Thread(options) refuses unknown keys", () => {
  it("a misspelt key is a ThreadOptionError naming it and the nearest valid one", () => {
    const target = (n: number) => n;
    const e = thrownBy(() => new Thread({ target, arg: [1] } as never));
    expect(e).toMatchObject({ name: "ThreadOptionError", code: "ERR_WEFT_THREAD_OPTION" });
    expect(e).toBeInstanceOf(ThreadOptionError);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      'new Thread options: unknown option "arg" (did you mean "args"?); valid options: target, args, name, daemon, workerEntry, resourceLimits',
    );
    expect(thrownBy(() => new Thread({ target, deamon: true } as never)).message).toMatch(
      /did you mean "daemon"/,
    );
    expect(thrownBy(() => new Thread({ targt: target } as never)).message).toMatch(/did you mean "target"/);
    expect(thrownBy(() => new Thread({ target, priority: 1 } as never)).message).toMatch(
      /^new Thread options: unknown option "priority"; valid options: /,
    );
  });

  it("a symbol key is refused too, naming the symbol (it used to be ignored)", () => {
    const target = () => 1;
    const e = thrownBy(() => new Thread({ target, [Symbol("x")]: 1 } as never));
    expect(e).toBeInstanceOf(ThreadOptionError);
    expect(e.message).toBe(
      "new Thread options: unknown option Symbol(x) (option names are strings); valid options: target, args, name, daemon, workerEntry, resourceLimits",
    );
    expect(() => new Thread({ target, resourceLimits: { [Symbol("y")]: 1 } } as never)).toThrow(
      /^new Thread\(\{ resourceLimits \}\): unknown option Symbol\(y\)/,
    );
  });

  it("an option whose getter throws is a ThreadOptionError naming it, with the getter's error as cause", () => {
    const target = () => 1;
    const boom = new Error("boom");
    const e = thrownBy(
      () =>
        new Thread({
          target,
          get name(): string {
            throw boom;
          },
        }),
    );
    expect(e).toBeInstanceOf(ThreadOptionError);
    expect(e.message).toBe(
      'new Thread options: option "name" could not be read: its getter threw (Error: boom); pass the value itself',
    );
    expect(e.cause).toBe(boom);
    const limits = thrownBy(
      () =>
        new Thread({
          target,
          resourceLimits: {
            get stackSizeMb(): number {
              throw boom;
            },
          },
        }),
    );
    expect(limits).toBeInstanceOf(ThreadOptionError);
    expect(limits.message).toMatch(
      /^new Thread\(\{ resourceLimits \}\): option "stackSizeMb" could not be read/,
    );
    expect(limits.cause).toBe(boom);
  });

  it("bad values of known options are ThreadOptionErrors too (still TypeErrors)", () => {
    const target = () => 1;
    for (const bad of [
      { target, args: 1 },
      { target, name: 2 },
      { target, daemon: "yes" },
    ]) {
      const e = thrownBy(() => new Thread(bad as never));
      expect(e).toBeInstanceOf(ThreadOptionError);
      expect(e).toBeInstanceOf(TypeError);
    }
    expect(thrownBy(() => new Thread(42 as never))).toBeInstanceOf(ThreadOptionError);
  });
});

describe("thread.join(options) refuses unknown keys and a signal that is not an AbortSignal", () => {
  it("rejects with a ThreadOptionError instead of waiting without the misspelt timeout", async () => {
    const t = new Thread({ target: () => new Promise((r) => setTimeout(r, 200)) }).start();
    const rejection = (p: Promise<unknown>) =>
      p.then(
        () => new Error("resolved"),
        (e: Error) => e,
      );
    const e = await rejection(t.join({ timout: 5 } as never));
    expect(e).toBeInstanceOf(ThreadOptionError);
    expect(e.message).toBe(
      'join options: unknown option "timout" (did you mean "timeout"?); valid options: timeout, signal',
    );
    expect(await rejection(t.join({ signal: "stop" } as never))).toBeInstanceOf(ThreadOptionError);
    expect(await rejection(t.join(null as never))).toBeInstanceOf(ThreadOptionError);
    expect((await rejection(t.join([] as never))).message).toBe(
      "join(options): options must be an object like { timeout, signal }, got an array.",
    );
    expect((await rejection(t.join(500 as never))).message).toBe(
      "join(options): options must be an object like { timeout, signal }, got the number 500: pass { timeout: 500 }.",
    );
    expect((await rejection(t.join({ signal: null } as never))).message).toBe(
      "join({ signal }): signal must be an AbortSignal, got null",
    );
    expect(await t.join({ timeout: 5_000, signal: new AbortController().signal })).toBe(true);
  });
});

describe("new Thread(options) names what it was given when it is not what it needs", () => {
  const target = () => 1;

  it("options that are not an object (an array, a function, null, a primitive) say what they are", () => {
    for (const [bad, got] of [
      [[], "got an array"],
      [[target], "got an array"],
      [null, "got null"],
      [undefined, "got undefined"],
      ["target", "got string"],
    ] as const) {
      const e = thrownBy(() => new Thread(bad as never));
      expect(e).toBeInstanceOf(ThreadOptionError);
      expect(e.message).toBe(`new Thread(options): options must be an object with a \`target\`, ${got}.`);
    }
    expect(thrownBy(() => new Thread(target as never)).message).toBe(
      "new Thread(options): options must be an object with a `target`, got a function: pass it as { target }.",
    );
  });

  it("null is named as null, an array as an array, a missing target as missing", () => {
    expect(thrownBy(() => new Thread({ target, name: null as never })).message).toBe(
      "new Thread({ name }): name must be a string, got null.",
    );
    expect(thrownBy(() => new Thread({ target, daemon: null as never })).message).toBe(
      "new Thread({ daemon }): daemon must be a boolean, got null.",
    );
    expect(thrownBy(() => new Thread({ target, args: null as never })).message).toBe(
      "new Thread({ args }): args must be an array, got null.",
    );
    expect(thrownBy(() => new Thread({ target, args: { 0: 1 } as never })).message).toBe(
      "new Thread({ args }): args must be an array, got object.",
    );
    const missing = thrownBy(() => new Thread({} as never));
    expect(missing).toBeInstanceOf(TargetError);
    expect(missing.message).toBe(
      "new Thread({ target }): target is missing: pass a function or { module, export }.",
    );
    expect(thrownBy(() => new Thread({ target: null as never })).message).toBe(
      "new Thread({ target }): target must be a function or { module, export }, got null.",
    );
  });
});

describe("the setters of a thread and setExcepthook name null as null", () => {
  it("says got null, not got object", () => {
    const thread = new Thread({ target: () => 1 });
    expect(() => {
      thread.name = null as never;
    }).toThrow(new TypeError("Thread.name must be a string, got null."));
    expect(() => {
      thread.daemon = null as never;
    }).toThrow(new TypeError("Thread.daemon must be a boolean, got null."));
    expect(() => setExcepthook(null as never)).toThrow(
      new TypeError("setExcepthook(hook): hook must be a function or undefined, got null"),
    );
  });
});
