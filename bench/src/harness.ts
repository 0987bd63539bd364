import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSuiteResult, type SuiteResult, type Summary } from "./result-schema.mjs";
import { fmt, summarize } from "./stats.js";

/**
 * One side of a comparison. `measure()` runs the workload once and returns one sample in the suite's unit
 * (e.g. tasks/s or µs). `setup`/`teardown` run around each measurement and are not timed.
 */
export interface Contender {
  name: string;
  setup?(): Promise<void> | void;
  measure(): Promise<number> | number;
  teardown?(): Promise<void> | void;
}

/** A benchmark: our contender against one or more peers, measured interleaved in one process. */
export interface Suite {
  /** File-safe id, used for the JSON result file. */
  id: string;
  /** What is measured, printed as the heading. */
  title: string;
  /** Unit of each sample, e.g. "tasks/s", "µs", "MB". */
  unit: string;
  /** true when a bigger sample is better (throughput), false for latency and memory. */
  higherIsBetter: boolean;
  /** Name of the contender that is weft. */
  ours: string;
  contenders: Contender[];
  /** Interleaved rounds; each round measures every contender once, in a rotated order. Default 5. */
  rounds?: number;
  /** Warm-up measurements per contender before the rounds, not recorded. Default 1. */
  warmup?: number;
  /** Optional target: the minimum acceptable ratio ours/peer (oriented so that bigger is better). */
  targets?: Record<string, number>;
  /**
   * Run the whole suite (this process, its threads and every worker or child started meanwhile) on CPU 0
   * only, as the anchors' latency figures were measured (`taskset -c 0`): a round trip is then a context
   * switch, not a cross-CPU wake-up whose cost depends on what the other CPU is doing. Linux with taskset.
   */
  pinToOneCpu?: boolean;
}

export type { SuiteResult } from "./result-schema.mjs";

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

async function measureOnce(c: Contender): Promise<number> {
  await c.setup?.();
  try {
    return await c.measure();
  } finally {
    await c.teardown?.();
  }
}

/** Sets the CPU affinity of every thread of this process; returns the previous mask (taskset's hex form). */
function setAffinity(cpuList: string): string | undefined {
  try {
    const before = execFileSync("taskset", ["-p", String(process.pid)], { encoding: "utf8" });
    execFileSync("taskset", ["-a", "-cp", cpuList, String(process.pid)], { stdio: "ignore" });
    return before.trim().split(/\s+/).pop();
  } catch (err) {
    throw new Error(`pinToOneCpu needs Linux's taskset (util-linux): ${(err as Error).message}`);
  }
}

/**
 * Runs a suite: warm-up, then `rounds` rounds in which every contender is measured once (the order rotates
 * each round so no contender always runs first), then prints median and min-max per contender and weft's
 * advantage over each peer, and writes the JSON result.
 */
export async function runSuite(suite: Suite): Promise<SuiteResult> {
  if (!suite.pinToOneCpu) return measureSuite(suite);
  const previousMask = setAffinity("0");
  try {
    return await measureSuite({ ...suite, title: `${suite.title}, pinned to CPU 0` });
  } finally {
    if (previousMask !== undefined)
      execFileSync("taskset", ["-a", "-p", previousMask, String(process.pid)], { stdio: "ignore" });
  }
}

async function measureSuite(suite: Suite): Promise<SuiteResult> {
  const rounds = suite.rounds ?? 5;
  const warmup = suite.warmup ?? 1;
  if (!suite.contenders.some((c) => c.name === suite.ours)) {
    throw new Error(`suite ${suite.id}: no contender named ${suite.ours}`);
  }
  for (let w = 0; w < warmup; w++) for (const c of suite.contenders) await measureOnce(c);
  const samples = new Map<string, number[]>(suite.contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    const n = suite.contenders.length;
    for (let i = 0; i < n; i++) {
      const c = suite.contenders[(i + r) % n]!;
      globalThis.gc?.();
      samples.get(c.name)!.push(await measureOnce(c));
    }
  }
  const results: Record<string, Summary> = {};
  for (const [name, s] of samples) results[name] = summarize(s);
  const ours = results[suite.ours]!;
  const advantage: Record<string, number> = {};
  const targets: SuiteResult["targets"] = {};
  for (const name of Object.keys(results)) {
    if (name === suite.ours) continue;
    const peer = results[name]!;
    advantage[name] = suite.higherIsBetter ? ours.median / peer.median : peer.median / ours.median;
    const target = suite.targets?.[name];
    if (target !== undefined) targets[name] = { target, met: advantage[name]! >= target };
  }
  const result: SuiteResult = {
    id: suite.id,
    title: suite.title,
    unit: suite.unit,
    higherIsBetter: suite.higherIsBetter,
    ours: suite.ours,
    date: new Date().toISOString(),
    node: process.version,
    results,
    advantage,
    targets,
  };
  print(result, rounds);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${suite.id}.json`);
  writeFileSync(file, `${JSON.stringify(checkSuiteResult(result, file), null, 2)}\n`);
  return result;
}

function print(r: SuiteResult, rounds: number): void {
  const better = r.higherIsBetter ? "higher is better" : "lower is better";
  console.log(`\n## ${r.title} (${r.unit}, ${better}; median of ${rounds} interleaved rounds)`);
  const width = Math.max(...Object.keys(r.results).map((n) => n.length));
  for (const [name, s] of Object.entries(r.results)) {
    const adv = r.advantage[name];
    const t = r.targets[name];
    const ratio =
      adv === undefined
        ? ""
        : `  weft ${fmt(adv)}x${t ? ` (target ${fmt(t.target)}x: ${t.met ? "met" : "MISSED"})` : ""}`;
    console.log(
      `  ${name.padEnd(width)}  ${fmt(s.median).padStart(12)}  [${fmt(s.min)} - ${fmt(s.max)}]${ratio}`,
    );
  }
}
