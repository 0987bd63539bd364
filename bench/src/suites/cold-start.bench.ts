// Cold start: a fresh Node process loads the library, creates a pool and completes one task (cold-start/run.mjs
// prints the ms that took, its first line to the task's result). Every sample is its own process, so nothing
// is warm but the OS file cache; contenders are interleaved round by round like every suite.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Contender, Suite } from "../harness.js";

const script = fileURLToPath(new URL("./cold-start/run.mjs", import.meta.url));

/** One sample: `node run.mjs <name>` (without the bench's own `--import tsx --expose-gc`). */
function coldStart(name: string): Contender {
  return {
    name,
    measure: () =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, [script, name], { encoding: "utf8", timeout: 30_000 }, (error, stdout) => {
          const ms = Number(stdout.trim());
          if (error || !Number.isFinite(ms)) reject(error ?? new Error(`${name} printed ${stdout}`));
          else resolve(ms);
        });
      }),
  };
}

// The targets: within 1.2x of the hand-written equivalent (ratio >= 1/1.2) and ahead of every peer.
const WITHIN_1_2X = 1 / 1.2;

export const suites: Suite[] = [
  {
    id: "cold-start-thread-pool",
    title: "Thread pool cold start: load, create, first task (module task), fresh process per sample",
    unit: "ms",
    higherIsBetter: false,
    ours: "weft thread pool",
    rounds: 11,
    contenders: [
      "weft thread pool",
      "weft thread pool, inline function",
      "raw worker_threads",
      "piscina",
      "tinypool",
      "workerpool threads",
      "poolifier threads",
    ].map(coldStart),
    targets: {
      "raw worker_threads": WITHIN_1_2X,
      piscina: 1,
      tinypool: 1,
      "workerpool threads": 1,
      "poolifier threads": 1,
    },
  },
  {
    id: "cold-start-process-pool",
    title: "Process pool cold start: load, create, first task (module task), fresh process per sample",
    unit: "ms",
    higherIsBetter: false,
    ours: "weft process pool",
    rounds: 11,
    contenders: [
      "weft process pool",
      "weft process pool, inline function",
      "raw child_process.fork",
      "poolifier cluster",
      "workerpool processes",
      "tinypool child_process",
    ].map(coldStart),
    targets: {
      "raw child_process.fork": WITHIN_1_2X,
      "poolifier cluster": 1,
      "workerpool processes": 1,
      "tinypool child_process": 1,
    },
  },
];
