import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runSuite, type Suite } from "./harness.js";

// Runs every bench/src/suites/*.bench.ts, or only those named on the command line: `pnpm bench pool` runs
// pool.bench.ts (an exact name wins), `pnpm bench pro` runs every file whose name contains "pro".
// Each module exports `suites: Suite[]` or a function returning them.
const dir = join(dirname(fileURLToPath(import.meta.url)), "suites");
// `--only=<suite id>[,<suite id>]` runs only those suites of the selected files.
// Each suite runs in a fresh Node process (this script again, with `--in-process`): what one suite leaves
// behind (V8's optimized code and type feedback for the shapes it used, a grown heap, the peers' modules)
// would otherwise change the next suite's figures. Measured: the process-pool latency suite run after the
// throughput suite in one process gave weft 0.77x of raw fork IPC, and 0.88x on its own.
const args = process.argv.slice(2).filter((a) => a !== "--");
const inProcess = args.includes("--in-process");
const only = args.filter((a) => a.startsWith("--only=")).flatMap((a) => a.slice(7).split(","));
const filters = args.filter((a) => !a.startsWith("--only=") && a !== "--in-process");
const all = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort();
const selects = (flt: string, f: string) =>
  all.includes(`${flt}.bench.ts`) ? f === `${flt}.bench.ts` : f.includes(flt);
const files = all.filter((f) => filters.length === 0 || filters.some((flt) => selects(flt, f)));
if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(", ") || "(none found)"} in ${dir}`);
  process.exit(1);
}
let missed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
    suites: Suite[] | (() => Suite[] | Promise<Suite[]>);
  };
  const suites = typeof mod.suites === "function" ? await mod.suites() : mod.suites;
  if (!inProcess) console.log(`\n# ${file}`);
  for (const suite of suites) {
    if (only.length > 0 && !only.includes(suite.id)) continue;
    if (inProcess) {
      try {
        const r = await runSuite(suite);
        missed += Object.values(r.targets).filter((t) => !t.met).length;
      } catch (err) {
        console.error(err);
        process.exit(100);
      }
      continue;
    }
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        file.replace(/\.bench\.ts$/, ""),
        `--only=${suite.id}`,
        "--in-process",
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    if (child.status === null || child.status >= 100) {
      throw new Error(`suite ${suite.id} failed (exit ${child.status ?? child.signal}); its output is above`);
    }
    missed += child.status;
  }
}
if (inProcess) process.exit(missed);
console.log(`\n${missed === 0 ? "all targets met" : `${missed} target(s) missed`}; JSON in bench/results/`);
