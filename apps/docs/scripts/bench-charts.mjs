#!/usr/bin/env node
// Turns every bench/results/*.json (written by bench/src/harness.ts) into an SVG chart plus a summary in
// src/generated/bench/, which the benchmarks page shows. No results is fine: the page says so.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkSuiteResult, renderSuiteSvg } from "./lib/bench-svg.mjs";
import { benchResults, generatedDir } from "./lib/paths.mjs";

export function benchCharts(resultsDir = benchResults, outDir = join(generatedDir, "bench")) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  let files = [];
  try {
    files = readdirSync(resultsDir).filter((f) => f.endsWith(".json"));
  } catch (err) {
    if (err?.code !== "ENOENT") throw err;
  }
  const suites = files.sort().map((f) => {
    let parsed;
    try {
      parsed = JSON.parse(readFileSync(join(resultsDir, f), "utf8"));
    } catch (err) {
      throw new Error(`bench/results/${f} is not valid JSON: ${err instanceof Error ? err.message : err}`);
    }
    const r = checkSuiteResult(parsed, `bench/results/${f}`);
    writeFileSync(join(outDir, `${r.id}.svg`), `${renderSuiteSvg(r)}\n`);
    return {
      id: r.id,
      title: r.title,
      unit: r.unit,
      higherIsBetter: r.higherIsBetter,
      ours: r.ours,
      date: r.date,
      node: r.node,
      advantage: r.advantage ?? {},
      targets: r.targets ?? {},
      results: Object.fromEntries(
        Object.entries(r.results).map(([n, s]) => [n, { median: s.median, min: s.min, max: s.max }]),
      ),
    };
  });
  writeFileSync(join(outDir, "index.json"), `${JSON.stringify({ suites }, null, 2)}\n`);
  return suites;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const suites = benchCharts();
    console.log(`Benchmark charts: ${suites.length} suite(s) from bench/results`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
