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

// An options object that cannot be read (a getter or a Proxy trap that throws) fails with the caller's option
// error naming the option, with what was thrown as its cause, as the marshal walk's MarshalError does for a
// getter in an argument; the thrown value does not escape raw from the check.
describe("an option whose getter throws is an option error naming it, caused by the getter's error", () => {
  const keys = new Set(["wait", "cancelFutures"]);
  const make = (m: string) => new RangeError(m);
  const boom = new Error("boom");

  it("checkOptionKeys reads every known option, own or inherited, enumerable or not", () => {
    const own = {
      get wait(): boolean {
        throw boom;
      },
    };
    const e = thrownBy(() => checkOptionKeys("shutdown options", own, keys, make));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe(
      'shutdown options: option "wait" could not be read: its getter threw (boom); pass the value itself',
    );
    expect(e.cause).toBe(boom);
    class Options {
      get cancelFutures(): boolean {
        throw boom;
      }
    }
    const inherited = thrownBy(() => checkOptionKeys("shutdown options", new Options(), keys, make));
    expect(inherited.message).toMatch(/^shutdown options: option "cancelFutures" could not be read/);
    expect(inherited.cause).toBe(boom);
  });

  it("a Proxy whose keys cannot be listed is named as the options object", () => {
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw boom;
        },
      },
    );
    const e = thrownBy(() => checkOptionKeys("shutdown options", proxy, keys, make));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe(
      "shutdown options could not be read: listing its keys threw (boom); pass a plain object",
    );
    expect(e.cause).toBe(boom);
  });

  it("a makeError that sets its own cause keeps it", () => {
    const e = thrownBy(() =>
      checkOptionKeys(
        "shutdown options",
        {
          get wait(): boolean {
            throw boom;
          },
        },
        keys,
        (m, options) => new RangeError(m, options),
      ),
    );
    expect(e.cause).toBe(boom);
  });

  it("the primitives' constructors, waits and marshal.encode throw a TypeError with the cause", async () => {
    const memory = thrownBy(
      () =>
        new Lock({
          get memory(): undefined {
            throw boom;
          },
        }),
    );
    expect(memory).toBeInstanceOf(TypeError);
    expect(memory.message).toMatch(/^new Lock options: option "memory" could not be read: its getter threw/);
    expect(memory.cause).toBe(boom);
    const waited = await new Event()
      .wait({
        get timeout(): number {
          throw boom;
        },
      })
      .then(
        () => new Error("resolved"),
        (err: Error) => err,
      );
    expect(waited).toBeInstanceOf(TypeError);
    expect(waited.message).toMatch(/^Event\.wait options: option "timeout" could not be read/);
    expect(waited.cause).toBe(boom);
    const encoded = thrownBy(() =>
      marshal.encode(1, {
        get path(): string {
          throw boom;
        },
      }),
    );
    expect(encoded).toBeInstanceOf(TypeError);
    expect(encoded.cause).toBe(boom);
  });
});
