import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SuiteResult } from "../../../bench/src/harness";
import { benchCharts } from "../scripts/bench-charts.mjs";
import { checkSuiteResult, renderSuiteSvg } from "../scripts/lib/bench-svg.mjs";

const result: SuiteResult = {
  id: "noop-tasks",
  title: "100k no-op tasks <pool size 2>",
  unit: "tasks/s",
  higherIsBetter: true,
  ours: "weft",
  date: "2026-11-02T10:00:00.000Z",
  node: "v20.20.2",
  results: {
    piscina: { median: 23_882, min: 22_000, max: 25_000, samples: [23_882] },
    weft: { median: 120_000, min: 110_000, max: 130_000, samples: [120_000] },
  },
  advantage: { piscina: 120_000 / 23_882 },
  targets: { piscina: { target: 2, met: true } },
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("benchmark charts", () => {
  it("draws one bar per contender, weft first and highlighted, with escaped text and the advantage", () => {
    const svg = renderSuiteSvg(result);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg.indexOf('class="ours"')).toBeLessThan(svg.indexOf('class="peer"'));
    expect(svg).toContain("&lt;pool size 2&gt;");
    expect(svg).not.toContain("<pool size 2>");
    expect(svg).toContain("weft 5.02x");
    // weft's bar (median 120k of a 130k maximum) is longer than piscina's
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBeGreaterThan(widths[1]! * 4);
  });

  it("makes room for long contender names", () => {
    const long = "weft Lock (@weft/native), 4 processes";
    const svg = renderSuiteSvg({ ...result, ours: long, results: { [long]: result.results.weft! } });
    const labelX = Number(/<text x="([\d.]+)"[^>]*class="label"/.exec(svg)![1]);
    expect(labelX).toBeGreaterThanOrEqual(long.length * 7);
  });

  it("rejects a file that is not a SuiteResult, naming the file and the field", () => {
    expect(() => checkSuiteResult({ ...result, results: {} }, "bench/results/x.json")).toThrow(
      /bench\/results\/x\.json.*"results" is empty/,
    );
    expect(() => checkSuiteResult({ ...result, ours: "nobody" }, "f.json")).toThrow(/"ours" \(nobody\)/);
  });

  it("renders every results file, and none when there are none", () => {
    const results = mkdtempSync(join(tmpdir(), "weft-bench-"));
    const out = mkdtempSync(join(tmpdir(), "weft-charts-"));
    dirs.push(results, out);
    expect(benchCharts(join(results, "missing"), out)).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, "index.json"), "utf8"))).toEqual({ suites: [] });
    mkdirSync(results, { recursive: true });
    writeFileSync(join(results, "noop-tasks.json"), JSON.stringify(result));
    const suites = benchCharts(results, out);
    expect(suites.map((s: { id: string }) => s.id)).toEqual(["noop-tasks"]);
    expect(readFileSync(join(out, "noop-tasks.svg"), "utf8")).toContain("<svg");
    writeFileSync(join(results, "broken.json"), "{");
    expect(() => benchCharts(results, out)).toThrow(/bench\/results\/broken\.json is not valid JSON/);
  });
});
