// 12.8 Simple parallel programming
// Python's ProcessPoolExecutor runs CPU-bound find_robots() over many gzipped Apache logs in N separate
// interpreters, one per CPU. weft's ProcessPoolExecutor does the same with N Node processes and the same
// Future / map / add_done_callback API as the thread pool of recipe 12.7. The logs are generated here (in a
// temporary directory, gzipped like the original's), the work is done once in this process and once in the
// pool, and the ratio of the two timings is printed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { moduleTask, ProcessPoolExecutor } from "@weft/process-pool";
import { findRobots } from "./tasks/12.8-robots.js";

const FILES = 24;
const LINES = 50_000;

// A deterministic pseudo-random source, so every run sees the same logs.
let seed = 128;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pages = ["/", "/index.html", "/about.html", "/images/logo.png", "/css/site.css", "/blog/2008/02/"];
const robotHosts = ["66.249.65.107", "65.55.208.79", "72.30.61.37", "74.6.19.104", "208.80.193.31"];

function logLine(): string {
  const robot = rand(50) === 0;
  const host = robot
    ? robotHosts[rand(robotHosts.length)]!
    : `${10 + rand(200)}.${rand(256)}.${rand(256)}.${rand(256)}`;
  const page = robot ? "/robots.txt" : pages[rand(pages.length)]!;
  const t = `${String(1 + rand(28)).padStart(2, "0")}/Feb/2008:${String(rand(24)).padStart(2, "0")}:${String(rand(60)).padStart(2, "0")}:${String(rand(60)).padStart(2, "0")} -0600`;
  return `${host} - - [${t}] "GET ${page} HTTP/1.1" 200 ${100 + rand(9000)} "-" "Mozilla/5.0"`;
}

const logdir = mkdtempSync(join(tmpdir(), "weft-12.8-logs-"));
try {
  const files: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const lines = Array.from({ length: LINES }, logLine);
    const file = join(logdir, `access-${String(i).padStart(2, "0")}.log.gz`);
    writeFileSync(file, gzipSync(lines.join("\n"), { level: 1 }));
    files.push(file);
  }
  console.log(`generated ${FILES} gzipped logs of ${LINES.toLocaleString("en")} lines in ${logdir}`);

  // One process: the plain loop.
  let t0 = performance.now();
  const expected = new Set<string>();
  for (const file of files) for (const host of findRobots(file)) expected.add(host);
  const single = performance.now() - t0;
  console.log(`single process:  ${expected.size} robots in ${single.toFixed(0)} ms`);

  // The pool: `with futures.ProcessPoolExecutor() as pool: for robots in pool.map(find_robots, files)`.
  // Timed twice: from creating the pool (as Python's timing would be, child start-up included), and from
  // when every child is up.
  const findRobotsTask = moduleTask<typeof findRobots>(
    new URL("./tasks/12.8-robots.js", import.meta.url),
    "findRobots",
  );
  const workers = availableParallelism();
  t0 = performance.now();
  const allRobots = new Set<string>();
  let startedAt = 0;
  {
    await using pool = new ProcessPoolExecutor({ maxWorkers: workers, minWorkers: workers });
    await Promise.all(Array.from({ length: workers }, () => pool.submit(() => process.pid)));
    startedAt = performance.now();
    for await (const robots of pool.map(findRobotsTask, files)) {
      for (const host of robots) allRobots.add(host); // a Set crosses the process boundary as a Set
    }
  }
  const parallel = performance.now() - t0;
  const mapping = performance.now() - startedAt;
  const same = allRobots.size === expected.size && [...expected].every((h) => allRobots.has(h));
  console.log(
    `process pool (${workers} processes): ${allRobots.size} robots in ${parallel.toFixed(0)} ms, of which ` +
      `${(parallel - mapping).toFixed(0)} ms starting the children`,
  );
  // Ratios of timings on a machine that may be busy (a speed-up can be below 1 there): printed with what
  // they mean, so that no run contradicts its own words.
  console.log(
    `time with the pool / time in one process on ${workers} CPUs: ${(parallel / single).toFixed(2)} including ` +
      `start-up, ${(mapping / single).toFixed(2)} once started (below 1: the pool was faster); same answer: ${same}`,
  );
  console.log(`robots: ${[...allRobots].sort().join(", ")}`);

  // Submitting single tasks: a Future, its result(), and a done callback (Python's add_done_callback).
  {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 2 });
    const future = pool.submit(findRobotsTask, files[0]!);
    future.addDoneCallback((f) => {
      f.result().then((r) =>
        console.log(`callback: Got ${r.size} robots from ${files[0]!.slice(logdir.length + 1)}`),
      );
    });
    const r = await future.result(); // waits for the child's answer
    console.log(`future.result(): ${r.size} robots`);
  }
} finally {
  rmSync(logdir, { recursive: true, force: true });
  console.log("removed the log directory");
}
