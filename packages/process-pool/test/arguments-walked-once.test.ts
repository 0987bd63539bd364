import { ThreadPoolExecutor } from "@weft/pool";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

/** An argument whose property `x` counts how often it is read (each walk or clone of the argument reads it). */
function countingArgument(): { arg: object; reads: () => number } {
  let reads = 0;
  const arg = { nested: [1, 2] };
  Object.defineProperty(arg, "x", {
    enumerable: true,
    get() {
      reads++;
      return 5;
    },
  });
  return { arg, reads: () => reads };
}

describe("arguments for a child process are checked once, by the executor core", () => {
  it("an argument is read as often as the thread pool reads it (one walk, one clone), not walked twice", async () => {
    const viaThreads = countingArgument();
    {
      await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      expect(await pool.submit((a: { x: number }) => a.x, viaThreads.arg as { x: number })).toBe(5);
    }
    const viaProcesses = countingArgument();
    {
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
      expect(
        await pool.submit(fixture<(a: { x: number }) => number>("getX"), viaProcesses.arg as { x: number }),
      ).toBe(5);
    }
    expect(viaThreads.reads()).toBeGreaterThan(0);
    expect(viaProcesses.reads()).toBe(viaThreads.reads());
  });

  it("initArgs and map items that cannot reach a child still throw a MarshalError naming their path", async () => {
    expect(
      () =>
        new ProcessPoolExecutor({ initializer: fixture("init"), initArgs: [1, [new SharedArrayBuffer(1)]] }),
    ).toThrow(/^initArgs\[1\]\[0\] is a SharedArrayBuffer/);
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    const out: unknown[] = [];
    await expect(async () => {
      for await (const v of pool.mapWith({ chunksize: 2 }, fixture("identity"), [
        1,
        2,
        3,
        { b: new SharedArrayBuffer(1) },
      ])) {
        out.push(v);
      }
    }).rejects.toThrow(/^items\[3\]\.b is a SharedArrayBuffer/);
    await expect(async () => {
      for await (const v of pool.map(fixture("add"), [1, 2], [3, new Int32Array(new SharedArrayBuffer(8))])) {
        out.push(v);
      }
    }).rejects.toThrow(/^iterables\[1\]\[1\] is a Int32Array over a SharedArrayBuffer/);
  });
});
