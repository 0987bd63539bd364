import { describe, expect, it } from "vitest";
import { ContextLocal, ThreadLocal } from "../src/index.js";
import { thrownBy } from "./thrown-by.js";

// As in the other weft packages: an option whose getter throws is a TypeError naming the option, with the
// getter's error as its cause; the getter's error does not escape raw from the constructor.
describe("an option of ContextLocal or ThreadLocal whose getter throws", () => {
  const boom = new Error("boom");

  it("new ContextLocal names the option, with the getter's error as cause", () => {
    for (const key of ["name", "default", "propagate"]) {
      const options = Object.defineProperty({}, key, {
        enumerable: true,
        get() {
          throw boom;
        },
      });
      const e = thrownBy(() => new ContextLocal(options));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toBe(
        `new ContextLocal options: option "${key}" could not be read: its getter threw (Error: boom); pass the value itself`,
      );
      expect(e.cause).toBe(boom);
    }
  });

  it("new ThreadLocal names the option, own or inherited, with the getter's error as cause", () => {
    const own = thrownBy(
      () =>
        new ThreadLocal({
          init: () => 1,
          get dispose(): () => void {
            throw boom;
          },
        }),
    );
    expect(own).toBeInstanceOf(TypeError);
    expect(own.message).toMatch(/^new ThreadLocal options: option "dispose" could not be read/);
    expect(own.cause).toBe(boom);
    class Options {
      get init(): () => number {
        throw boom;
      }
    }
    const inherited = thrownBy(() => new ThreadLocal(new Options()));
    expect(inherited.message).toMatch(/^new ThreadLocal options: option "init" could not be read/);
    expect(inherited.cause).toBe(boom);
  });

  it("a Proxy whose keys cannot be listed is named as the options", () => {
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw boom;
        },
      },
    );
    const e = thrownBy(() => new ContextLocal(proxy));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "new ContextLocal options could not be read: listing its keys threw (Error: boom); pass a plain object",
    );
    expect(e.cause).toBe(boom);
  });
});
