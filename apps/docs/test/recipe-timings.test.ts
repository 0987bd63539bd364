// Printed timings cannot contradict themselves: no recipe output presents a ratio of timings as a speed-up
// or with a bound (see scripts/lib/timing-claims.mjs), in what the pages show and in a fresh run.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDir } from "../scripts/lib/paths.mjs";
import { timingClaims } from "../scripts/lib/timing-claims.mjs";

describe("timings printed by the recipes", () => {
  it("the check flags what the pages used to print", () => {
    expect(timingClaims("  speed-up over the blocking run: 2.19x (up to 2x with 2 idle cores)")).toHaveLength(
      1,
    );
    expect(timingClaims("speedup on 2 CPUs: 0.66x including start-up, 0.81x once started")).toHaveLength(1);
    expect(
      timingClaims("  time on the pool / time blocking: 0.52 (below 1: the pool took less wall time)"),
    ).toEqual([]);
  });

  it("no captured recipe output states a claim its numbers could contradict", () => {
    const file = join(generatedDir, "outputs.json");
    expect(existsSync(file), "build the docs first (pnpm docs:build)").toBe(true);
    const { recipes } = JSON.parse(readFileSync(file, "utf8")) as {
      recipes: { file: string; output: string }[];
    };
    expect(recipes.length).toBeGreaterThan(0);
    for (const r of recipes) expect(timingClaims(r.output), r.file).toEqual([]);
  });
});
