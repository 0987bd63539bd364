import { futexWaiter } from "@weft/native";
import { describe, expect, it } from "vitest";

// As Atomics.wait: a wait needs an Int32Array over shared memory (nobody else could ever change or notify
// private memory); a TypeError says so instead of a wait that can only time out.

describe("futexWaiter on memory that is not shared", () => {
  const privateI32 = () => new Int32Array(new ArrayBuffer(8));

  it("wait throws a TypeError", () => {
    expect(() => futexWaiter.wait(privateI32(), 0, 0, 10)).toThrow(TypeError);
    expect(() => futexWaiter.wait(privateI32(), 0, 0, 10)).toThrow(/shared memory/);
  });

  it("waitAsync throws a TypeError (with and without a signal)", () => {
    expect(() => futexWaiter.waitAsync(privateI32(), 0, 0, 10)).toThrow(TypeError);
    expect(() => futexWaiter.waitAsync(privateI32(), 0, 0, 10, new AbortController().signal)).toThrow(
      TypeError,
    );
  });

  it("notify wakes nobody there (0), as Atomics.notify", () => {
    expect(futexWaiter.notify(privateI32(), 0, 1)).toBe(0);
  });

  it("memory that is shared still works", async () => {
    const i32 = new Int32Array(new SharedArrayBuffer(8));
    expect(futexWaiter.wait(i32, 0, 1, 0)).toBe("not-equal");
    expect(await futexWaiter.waitAsync(i32, 0, 0, 1)).toBe("timed-out");
  });
});
