// Where a cold start's time goes: `node phases.mjs [runs]` runs each case in fresh processes (interleaved) and
// prints the median (and min) ms of each phase: loading the library, creating the pool, the worker's or child's
// boot until its entry runs, loading weft's entry there, and the first task until its result is back.
import { spawnSync } from "node:child_process";

const runs = Number(process.argv[2] ?? 9);
const cases = {
  "raw worker_threads": ["raw.mjs", "thread"],
  "weft thread pool": ["thread-pool.mjs"],
  "raw child_process.fork": ["raw.mjs", "fork"],
  "weft process pool": ["process-pool.mjs"],
  "weft process pool, sharedSlots: false": ["process-pool.mjs", "no-shared-slots"],
};
const PHASES = ["load library", "create pool", "worker boot", "load weft entry", "first task", "total"];
const samples = {};
for (let i = 0; i < runs; i++) {
  for (const [name, [script, ...args]] of Object.entries(cases)) {
    const { stderr } = spawnSync(
      process.execPath,
      [new URL(`./phases/${script}`, import.meta.url).pathname, ...args],
      {
        encoding: "utf8",
      },
    );
    const t = Object.fromEntries(
      stderr
        .trim()
        .split("\n")
        .map((line) => line.split(" "))
        .map(([k, v]) => [k, Number(v)]),
    );
    const loaded = t["entry-loaded"] ?? t["entry-start"];
    const values = [
      t.imported - t.start,
      t.created - t.imported,
      t["entry-start"] - t.created,
      loaded - t["entry-start"],
      t.result - loaded,
      t.result - t.start,
    ];
    samples[name] ??= PHASES.map(() => []);
    for (const [k, v] of values.entries()) samples[name][k].push(v);
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(`| ms, median (min) of ${runs} | ${PHASES.join(" | ")} |`);
console.log(`|---|${PHASES.map(() => "---").join("|")}|`);
for (const [name, phases] of Object.entries(samples)) {
  console.log(
    `| ${name} | ${phases.map((v) => `${median(v).toFixed(1)} (${Math.min(...v).toFixed(1)})`).join(" | ")} |`,
  );
}
