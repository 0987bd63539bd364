import { describe, expect, it } from "vitest";
import { checkOptionKeys } from "../src/extension.js";
import { Event, Lock } from "../src/index.js";
import { thrownBy } from "./thrown-by.js";

// A constructor's options that cannot be read (a getter or a Proxy trap that throws) fail with the caller's
// option error naming the option, with what was thrown as its cause, as the marshal walk's MarshalError does
// for a getter in an argument; the thrown value does not escape raw from the check. (Per-call options of waits
// and tasks are not read by the check, which allocates and reads nothing; a Proxy whose keys cannot be listed
// is named there too.)
describe("an option whose getter throws is an option error naming it, caused by the getter's error", () => {
  const keys = new Set(["wait", "cancelFutures"]);
  const make = (m: string) => new RangeError(m);
  const boom = new Error("boom");

  it("checkOptionKeys with everyKey (a constructor's options) reads every known option, inherited getters too", () => {
    const own = {
      get wait(): boolean {
        throw boom;
      },
    };
    const e = thrownBy(() => checkOptionKeys("shutdown options", own, keys, make, true));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe(
      'shutdown options: option "wait" could not be read: its getter threw (Error: boom); pass the value itself',
    );
    expect(e.cause).toBe(boom);
    class Options {
      get cancelFutures(): boolean {
        throw boom;
      }
    }
    const inherited = thrownBy(() => checkOptionKeys("shutdown options", new Options(), keys, make, true));
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
      "shutdown options could not be read: listing its keys threw (Error: boom); pass a plain object",
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
        true,
      ),
    );
    expect(e.cause).toBe(boom);
  });

  it("the primitives' constructors throw a TypeError with the cause", () => {
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
    const event = thrownBy(
      () =>
        new Event({
          get memory(): undefined {
            throw boom;
          },
        }),
    );
    expect(event.message).toMatch(/^new Event options: option "memory" could not be read/);
    expect(event.cause).toBe(boom);
  });
});
