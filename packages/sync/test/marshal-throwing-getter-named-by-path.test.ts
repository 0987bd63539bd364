import { describe, expect, it } from "vitest";
import { MarshalError, marshal } from "../src/index.js";

function encodeError(value: unknown): MarshalError {
  try {
    marshal.encode(value, { path: "args" });
  } catch (err) {
    expect(err).toBeInstanceOf(MarshalError);
    return err as MarshalError;
  }
  throw new Error("expected marshal.encode to throw");
}

describe("marshal.encode: a property whose getter throws is a MarshalError naming its path", () => {
  it("in an object and in an array, with the getter's error as cause", () => {
    const boom = new Error("getter boom");
    const inObject = encodeError([
      1,
      {
        get config() {
          throw boom;
        },
      },
    ]);
    expect(inObject.path).toBe("args[1].config");
    expect(inObject.message).toMatch(
      /^args\[1\]\.config could not be read: its getter threw \(Error: getter boom\)/,
    );
    expect(inObject.cause).toBe(boom);

    const list: unknown[] = [];
    Object.defineProperty(list, 0, {
      enumerable: true,
      get() {
        throw "not even an Error";
      },
    });
    const inArray = encodeError({ list });
    expect(inArray.path).toBe("args.list[0]");
    expect(inArray.cause).toBe("not even an Error");
  });
});
