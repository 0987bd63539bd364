import { describe, expect, it } from "vitest";
import { Barrier, Semaphore } from "../src/index.js";

describe("Barrier parties: an integer from 1 to 2^31 - 1", () => {
  for (const bad of [0, -1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 1.5, Number.NaN, Infinity, "2", undefined]) {
    it(`rejects ${String(bad)} with the same error as Semaphore`, () => {
      expect(() => new Barrier(bad as number)).toThrow(RangeError);
      expect(() => new Barrier(bad as number)).toThrow(
        `Barrier: parties must be an integer from 1 to 2147483647, got ${String(bad)}`,
      );
    });
  }

  it("accepts 1 and 2^31 - 1 (the bounds)", async () => {
    expect(new Barrier(1).parties).toBe(1);
    expect(await new Barrier(1).wait()).toBe(0);
    expect(new Barrier(2 ** 31 - 1).parties).toBe(2 ** 31 - 1);
  });

  it("Semaphore's value check gives the same message shape", () => {
    expect(() => new Semaphore(2 ** 31)).toThrow(
      "Semaphore: value must be an integer from 0 to 2147483647, got 2147483648",
    );
  });
});
