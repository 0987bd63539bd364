import { describe, expect, it } from "vitest";
import { outputShape } from "../scripts/lib/output-shape.mjs";

describe("outputShape", () => {
  it("ignores numbers, order, repetition, colours and blank lines", () => {
    const a = "T-minus 10\nStill running\nT-minus 9\n\nStill running\ntook 1,203.5 ms\n";
    const b = "\x1b[32mStill running\x1b[0m\nT-minus 3\ntook 88 ms\n";
    expect(outputShape(a)).toEqual(outputShape(b));
    expect(outputShape(a)).toEqual(["Still running", "T-minus #", "took # ms"]);
  });

  it("ignores hashes, thread ids, ratios and booleans", () => {
    expect(outputShape("job A on thread 7817, overlapped: true (5146dea823c76912...) 0.96x")).toEqual(
      outputShape("job A on thread 12, overlapped: false (72864d0e8ecda1f6...) 1.10x"),
    );
  });

  it("tells apart outputs that print different kinds of line", () => {
    expect(outputShape("Completed\n")).not.toEqual(outputShape("Still running\n"));
    expect(outputShape("a\nb\n")).not.toEqual(outputShape("a\n"));
  });
});
