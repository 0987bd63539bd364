import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Messages made only of scalars take a compact path between parent and child (one string instead of a
// structured clone); these tests hold that path to the same exactness as the structured clone.
const scalars: unknown[] = [
  0,
  -0,
  1,
  -1.5,
  0.1 + 0.2,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  undefined,
  null,
  true,
  false,
  "",
  "plain",
  'quote " backslash \\ newline \n nul \u0000 tab \t',
  "é 😀 中文",
  "lone \ud800 surrogate \udfff",
  "x".repeat(255),
  "y".repeat(256),
  "z".repeat(100_000),
  123n,
  -(2n ** 70n),
];

function label(v: unknown): string {
  if (typeof v === "string") return `string(${v.length}) ${JSON.stringify(v.slice(0, 20))}`;
  return Object.is(v, -0) ? "-0" : typeof v === "bigint" ? `${v}n` : String(v);
}

describe("scalar arguments and results cross a process boundary exactly", () => {
  it("each scalar comes back from a child as the same value (Object.is), -0, NaN and undefined included", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const identity = fixture<(x: unknown) => unknown>("identity");
    for (const v of scalars) {
      const back = await ex.submit(identity, v);
      expect(Object.is(back, v), `${label(v)} came back as ${label(back)}`).toBe(true);
    }
  });

  it("scalars submitted together, as several arguments, arrive with their types and values", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const describeArgs =
      fixture<(...a: unknown[]) => { args: unknown[]; types: string[]; count: number }>("describeArgs");
    const futures = scalars.map((v, i) => ex.submit(describeArgs, i, v, -0, undefined));
    for (let i = 0; i < scalars.length; i++) {
      const { args, types, count } = await futures[i]!;
      expect(count).toBe(4);
      expect(args[0]).toBe(i);
      expect(Object.is(args[1], scalars[i]), label(scalars[i])).toBe(true);
      expect(Object.is(args[2], -0)).toBe(true);
      expect(types[3]).toBe("undefined");
    }
  });

  it("map over scalars keeps order and values, in chunks and one by one", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const identity = fixture<(x: unknown) => unknown>("identity");
    for (const chunksize of [1, 4]) {
      const out: unknown[] = [];
      for await (const r of ex.mapWith({ chunksize }, identity, scalars)) out.push(r);
      expect(out.length).toBe(scalars.length);
      for (let i = 0; i < out.length; i++)
        expect(Object.is(out[i], scalars[i]), label(scalars[i])).toBe(true);
    }
  });
});
