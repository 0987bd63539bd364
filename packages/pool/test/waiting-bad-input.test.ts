import { describe, expect, it } from "vitest";
import { asCompleted, Future, PoolOptionError, wait } from "../src/index.js";

// wait/asCompleted given something that is not an iterable of Futures: a PoolOptionError saying what was
// given (wait rejects, asCompleted throws at the call), not a TypeError from deep inside.
describe("wait and asCompleted refuse what is not an iterable of Futures", () => {
  it("a non-iterable", async () => {
    for (const bad of [5, null, undefined, { a: 1 }]) {
      await expect(wait(bad as never)).rejects.toBeInstanceOf(PoolOptionError);
      expect(() => asCompleted(bad as never)).toThrow(PoolOptionError);
    }
    await expect(wait(5 as never)).rejects.toThrow(/wait\(futures\): futures must be an iterable of Futures/);
    expect(() => asCompleted(null as never)).toThrow(/asCompleted\(futures\).*got null/);
  });

  it("an element that is not a Future, naming its position", async () => {
    const f = new Future<number>();
    await expect(wait([f, 42] as never)).rejects.toThrow(/element 1 is not a Future, got number/);
    expect(() => asCompleted([f, Promise.resolve(1)] as never)).toThrow(
      /element 1 is not a Future, got Promise/,
    );
    f.cancel();
  });
});
