#!/usr/bin/env node
// Generates what the pages show for the current version: the recipes' captured output and the benchmark
// charts. Runs before `astro build` and `astro dev`.
import { benchCharts } from "./bench-charts.mjs";
import { captureOutputs } from "./capture-outputs.mjs";

try {
  console.log("Capturing recipe outputs (docs/examples/dist/12.*.js)");
  const { recipes } = await captureOutputs();
  console.log(`  ${recipes.length} recipe(s) captured`);
  const suites = benchCharts();
  console.log(`Benchmark charts: ${suites.length} suite(s) from bench/results`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
