import { describe, expect, it } from "vitest";
import { InvalidSnapshotError, runWith } from "../src/index.js";

// A snapshot that cannot be read (a getter that throws, a Proxy) is an InvalidSnapshotError with what was
// thrown as its cause, as any other value that is not a snapshot; fn is not called.
describe("runWith() given a snapshot that cannot be read", () => {
  const boom = new Error("boom");

  it("a throwing getter is an InvalidSnapshotError caused by the getter's error", () => {
    const bad = {
      weftContext: 1,
      get names(): string[] {
        throw boom;
      },
      values: [],
    };
    let called = false;
    let thrown: unknown;
    try {
      runWith(bad as never, () => {
        called = true;
      });
    } catch (err) {
      thrown = err;
    }
    expect(called).toBe(false);
    expect(thrown).toBeInstanceOf(InvalidSnapshotError);
    expect((thrown as Error).message).toBe(
      "runWith(snapshot, fn): snapshot could not be read (Error: boom); it must be undefined or a value returned by " +
        "snapshot() (possibly after crossing a thread or process boundary); pass it through unchanged.",
    );
    expect((thrown as Error).cause).toBe(boom);
  });

  it("so is a name list whose entries throw when read", () => {
    const names = new Proxy(["requestId"], {
      get(target, key, receiver) {
        if (key === "0") throw boom;
        return Reflect.get(target, key, receiver);
      },
    });
    expect(() => runWith({ weftContext: 1, names, values: ["x"] } as never, () => 1)).toThrow(
      InvalidSnapshotError,
    );
  });
});
