import { describe, expect, it } from "vitest";
import { ContextLocal, isolate, runWith } from "../src/index.js";

// A value of the wrong type is named as what it is: null as null (typeof says "object"), an array as an array.
describe("ContextLocal, run(), runWith() and isolate() name the bad value they got", () => {
  it("options of new ContextLocal", () => {
    expect(() => new ContextLocal({ propagate: null } as never)).toThrow(
      new TypeError("new ContextLocal(options): propagate must be a boolean, got null."),
    );
    expect(() => new ContextLocal({ name: null } as never)).toThrow(
      new TypeError("new ContextLocal(options): name must be a non-empty string, got null."),
    );
    expect(() => new ContextLocal({ name: "" })).toThrow(
      new TypeError('new ContextLocal(options): name must be a non-empty string, got "".'),
    );
    expect(() => new ContextLocal({ name: ["id"] } as never)).toThrow(/got an array\.$/);
  });

  it("fn of run(), runWith() and isolate()", () => {
    const v = new ContextLocal({ name: "v", default: 0 });
    expect(() => v.run(1, null as never)).toThrow(
      new TypeError('ContextLocal "v".run(value, fn): fn must be a function, got null.'),
    );
    expect(() => runWith(undefined, null as never)).toThrow(
      new TypeError("runWith(snapshot, fn): fn must be a function, got null."),
    );
    expect(() => isolate(null as never)).toThrow(
      new TypeError("isolate(fn): fn must be a function, got null."),
    );
  });
});
