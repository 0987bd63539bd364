import { MarshalError, marshal } from "@weft/sync";
import { type ExceptHookArgs, setExcepthook, Thread, ThreadError } from "@weft/threads";
import { afterEach, describe, expect, it } from "vitest";
import { deserializeError } from "../src/error-deserialize.js";
import { serializeError } from "../src/error-serialize.js";

// A value thrown that is not an Error and cannot be structured-cloned crosses as a MarshalError whose path starts
// with `error` (as a result that cannot cross does with `result`), saying what was thrown in a few words, not as
// its String() text (a function's whole source, "[object Object]").

class Failure {
  retry = () => "SOURCE-OF-THE-THROWN-FUNCTION";
}

const cases: Array<[name: string, make: () => unknown, path: string, says: RegExp, thrown: RegExp]> = [
  [
    "a function",
    () =>
      function handler() {
        return "SOURCE-OF-THE-THROWN-FUNCTION";
      },
    "error",
    /^error is a function: functions cannot cross threads; /,
    /what was thrown: a function named "handler"/,
  ],
  [
    "a symbol",
    () => Symbol("bad"),
    "error",
    /^error is a symbol: symbols cannot cross threads; /,
    /Symbol\(bad\)/,
  ],
  [
    "a plain object holding a function",
    () => ({ code: 7, callback: () => "SOURCE-OF-THE-THROWN-FUNCTION" }),
    "error.callback",
    /^error\.callback is a function: functions cannot cross threads; /,
    /what was thrown: a plain object with keys code, callback/,
  ],
  [
    "a class instance holding a function",
    () => new Failure(),
    "error",
    /^error is an instance of Failure: class instances cannot cross threads /,
    /what was thrown: an instance of Failure/,
  ],
  [
    "a Map holding a symbol",
    () => new Map([["k", Symbol("v")]]),
    'error.get("k")',
    /^error\.get\("k"\) is a symbol: symbols cannot cross threads; /,
    /what was thrown: a Map of 1 entry/,
  ],
  [
    "a Proxy whose traps throw",
    () =>
      new Proxy(
        {},
        {
          get() {
            throw new Error("trap");
          },
          getPrototypeOf() {
            throw new Error("trap");
          },
          ownKeys() {
            throw new Error("trap");
          },
        },
      ),
    "error",
    /^error is a Proxy: proxies cannot cross threads; /,
    /what was thrown: a Proxy/,
  ],
];

const roundTrip = (thrown: unknown, options?: Parameters<typeof serializeError>[1]): unknown =>
  deserializeError(structuredClone(serializeError(thrown, options)));

describe("serializeError: a thrown value that cannot be cloned", () => {
  it.each(cases)("%s becomes a MarshalError at its path", (_name, make, path, says, thrown) => {
    const err = roundTrip(make()) as MarshalError;
    expect(err).toBeInstanceOf(MarshalError);
    expect(err.code).toBe("ERR_WEFT_MARSHAL");
    expect(err.path).toBe(path);
    expect(err.message).toMatch(says);
    expect(err.message).toMatch(thrown);
    expect(err.message).not.toContain("SOURCE-OF-THE-THROWN-FUNCTION");
    expect(err.stack).toContain(err.message);
  });

  it.each(cases)("%s: with the marshal walk at hand, its message is the walk's own", (_name, make) => {
    const value = make();
    const walked = roundTrip(value, { marshal }) as MarshalError;
    const without = roundTrip(value) as MarshalError;
    let fromTheWalk: MarshalError | undefined;
    try {
      marshal.encode(value, { path: "error" });
    } catch (e) {
      fromTheWalk = e as MarshalError;
    }
    expect(fromTheWalk).toBeInstanceOf(MarshalError);
    expect(walked.path).toBe(fromTheWalk!.path);
    expect(walked.message.startsWith(fromTheWalk!.message)).toBe(true);
    // Without the walk, the same words.
    expect(without.message).toBe(walked.message);
  });

  it("says processes when the value was bound for another process", () => {
    for (const options of [{ crossProcess: true }, { crossProcess: true, marshal }]) {
      const err = roundTrip(() => 1, options) as MarshalError;
      expect(err.message).toMatch(/^error is a function: functions cannot cross processes; /);
    }
  });

  it("a cause or AggregateError member that cannot be cloned is a MarshalError at its path; the Error crosses", () => {
    const original = new AggregateError([new RangeError("a"), Symbol("member")], "several", {
      cause: { fn() {} },
    });
    const copy = roundTrip(original) as AggregateError;
    expect(copy).toBeInstanceOf(AggregateError);
    expect(copy.message).toBe("several");
    expect(copy.errors[0]).toBeInstanceOf(RangeError);
    expect(copy.errors[1]).toBeInstanceOf(MarshalError);
    expect((copy.errors[1] as MarshalError).path).toBe("error.errors[1]");
    expect(copy.cause).toBeInstanceOf(MarshalError);
    expect((copy.cause as MarshalError).path).toBe("error.cause.fn");
  });

  it("a getter that throws while the value is read is named, with what it threw", () => {
    const thrown = {
      get broken() {
        throw new RangeError("getter");
      },
      fn() {},
    };
    const err = roundTrip(thrown) as MarshalError;
    expect(err).toBeInstanceOf(MarshalError);
    expect(err.path).toBe("error.broken");
    expect(err.message).toMatch(/could not be read: its getter threw \(RangeError: getter\)/);
  });

  it("values that can be cloned still cross as they are", () => {
    expect(roundTrip(42)).toBe(42);
    expect(roundTrip("text")).toBe("text");
    expect(roundTrip({ plain: ["data"] })).toEqual({ plain: ["data"] });
    expect(roundTrip(null)).toBe(null);
  });

  it("can name its root (an abort reason)", () => {
    expect((roundTrip(Symbol("why"), { path: "reason" }) as MarshalError).path).toBe("reason");
  });
});

describe("a Thread whose target throws a value that cannot cross", () => {
  afterEach(() => {
    setExcepthook(undefined);
  });

  it("join() rethrows a ThreadError caused by the MarshalError", async () => {
    const t = new Thread({
      target: () => {
        throw { callback: () => "SOURCE-OF-THE-THROWN-FUNCTION" };
      },
    }).start();
    const failure = await t.join().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ThreadError);
    const cause = (failure as ThreadError).cause as MarshalError;
    expect(cause).toBeInstanceOf(MarshalError);
    expect(cause.path).toBe("error.callback");
    expect(cause.message).toMatch(/^error\.callback is a function: functions cannot cross threads/);
    expect(cause.message).toMatch(/what was thrown: a plain object with keys callback/);
    expect(cause.message).not.toContain("SOURCE-OF-THE-THROWN-FUNCTION");
  });

  it("a thread that loaded the marshal walk reports it the same way", async () => {
    const t = new Thread({
      target: (_: unknown) => {
        throw function handler() {};
      },
      args: [new Map([["a", 1]])],
    }).start();
    const cause = (await t.join().catch((e: ThreadError) => e.cause)) as MarshalError;
    expect(cause).toBeInstanceOf(MarshalError);
    expect(cause.path).toBe("error");
    expect(cause.message).toMatch(
      /^error is a function: functions cannot cross threads; .*a function named "handler"/,
    );
  });

  it("the excepthook gets it when nobody joins", async () => {
    const called = new Promise<ExceptHookArgs>((resolve) => {
      setExcepthook((args) => resolve(args));
    });
    const t = new Thread({
      target: () => {
        throw Symbol("unjoined");
      },
    }).start();
    const args = await called;
    expect(args.thread).toBe(t);
    expect(args.excType).toBe(MarshalError);
    expect(args.excValue).toBeInstanceOf(MarshalError);
    expect((args.excValue as MarshalError).message).toMatch(/^error is a symbol: .*Symbol\(unjoined\)/);
  });
});
