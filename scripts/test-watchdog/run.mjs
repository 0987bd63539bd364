#!/usr/bin/env node
// `pnpm test`'s test step: `vitest run` (arguments are passed on) under a watchdog. A test that blocks its
// worker's thread (Atomics.wait, a ...Sync wait, a synchronous child process) cannot be stopped by vitest's
// testTimeout, and vitest then waits for that worker forever. The watchdog reads the progress reporter's
// events; when no test file and no test has started or ended for WEFT_TEST_STALL_SECONDS (default 600; three
// times that before the first test file starts, while the projects' global setups install and pack), it
// prints the files and tests still running and the run's process tree, kills every process of the run, and
// exits 124. After any run it also kills processes the run left behind, naming them.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatTree, runProcesses, signalAll } from "./processes.mjs";
import { RunProgress } from "./progress.mjs";

export const STALL_EXIT_CODE = 124;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script, which turbo does not run
const stallSetting = process.env.WEFT_TEST_STALL_SECONDS;
const stallSeconds = Number(stallSetting ?? 600);
if (!(stallSeconds > 0)) {
  console.error(`WEFT_TEST_STALL_SECONDS must be a number of seconds > 0, got ${stallSetting}`);
  process.exit(2);
}
const POLL_MS = 1000;
/** Global setups (apt-get and npm installs, packing) run before any file: they get this many stall limits. */
const SETUP_STALL_FACTOR = 3;
const TERM_GRACE_MS = 5000;

const log = (line) => process.stderr.write(`[test watchdog] ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// vitest through its node_modules/.bin shim, as the script's plain `vitest run` did: the shim also sets
// NODE_PATH (pnpm's hoisted packages), which tests that resolve packages from the working directory rely on.
const root = fileURLToPath(new URL("../..", import.meta.url));
const vitestBin = join(root, "node_modules", ".bin", process.platform === "win32" ? "vitest.cmd" : "vitest");
const reporter = fileURLToPath(new URL("./progress-reporter.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "weft-test-watchdog-"));
const progressFile = join(dir, "progress.ndjson");
writeFileSync(progressFile, "");
const runId = basename(dir);
const marker = `WEFT_TEST_RUN=${runId}`;

const args = process.argv.slice(2);
const ownReporters = args.some((a) => a === "--reporter" || a.startsWith("--reporter="));
const vitestArgs = [
  "run",
  ...(ownReporters ? [] : ["--reporter=default"]),
  `--reporter=${reporter}`,
  ...args,
];
const child = spawn(vitestBin, vitestArgs, {
  stdio: "inherit",
  shell: process.platform === "win32", // a .cmd file runs only through the shell
  env: { ...process.env, WEFT_TEST_PROGRESS_FILE: progressFile, WEFT_TEST_RUN: runId },
});
const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
let vitestExit;
void exited.then((e) => {
  vitestExit = e;
});

const progress = new RunProgress(Date.now());
const fd = openSync(progressFile, "r");
let offset = 0;
let partial = "";
function readEvents() {
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, offset);
    if (n === 0) break;
    offset += n;
    const lines = (partial + buf.toString("utf8", 0, n)).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      try {
        progress.add(JSON.parse(line));
      } catch {
        // a torn line cannot happen with appends of whole lines; ignore anything else
      }
    }
  }
}

/** Stops every process of the run: SIGTERM, then SIGKILL until none is left. Returns those it found. */
async function killRun() {
  const found = new Map();
  const snapshot = () => {
    const procs = runProcesses(child.pid, marker, [...found.keys()]);
    for (const p of procs) found.set(p.pid, p);
    return procs;
  };
  signalAll(snapshot(), "SIGTERM");
  const termUntil = Date.now() + TERM_GRACE_MS;
  while (Date.now() < termUntil && snapshot().length > 0) await sleep(200);
  for (let round = 0; round < 50; round++) {
    const left = snapshot();
    if (left.length === 0) break;
    signalAll(left, "SIGKILL");
    await sleep(100);
  }
  const left = snapshot();
  if (left.length > 0) log(`could not kill:\n${formatTree(left)}`);
  return [...found.values()];
}

let stopping;
function onSignal(signal) {
  if (stopping) {
    void killRun().then(() => process.exit(130));
    return;
  }
  stopping = signal;
  child.kill(signal);
  setTimeout(() => void killRun().then(() => process.exit(130)), 15_000).unref();
}
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, onSignal);

async function watch() {
  const stallMs = stallSeconds * 1000;
  while (vitestExit === undefined) {
    await Promise.race([sleep(POLL_MS), exited]);
    readEvents();
    const now = Date.now();
    const limit = progress.anyFileStarted ? stallMs : SETUP_STALL_FACTOR * stallMs;
    if (vitestExit !== undefined || progress.idleFor(now) < limit) continue;
    // Stuck: say where, show the processes, stop them all.
    const cwd = process.cwd();
    const factor = progress.anyFileStarted ? "" : `${SETUP_STALL_FACTOR} x `;
    log(`no test file or test has started or ended for ${Math.round(progress.idleFor(now) / 1000)} s`);
    log(`(limit: ${factor}WEFT_TEST_STALL_SECONDS=${stallSeconds} s); the run is stuck and is stopped now.`);
    for (const line of progress.describe(now, cwd)) log(line);
    const procs = runProcesses(child.pid, marker);
    log(`processes of the run (a blocked test's worker is a child of vitest at ${child.pid}):`);
    process.stderr.write(`${formatTree(procs)}\n`);
    const killed = await killRun();
    log(`killed ${killed.length} process(es); failing the run (exit ${STALL_EXIT_CODE}).`);
    return STALL_EXIT_CODE;
  }
  readEvents();
  // vitest has exited: whatever of the run still lives was left behind by a test or a setup.
  const left = runProcesses(child.pid, marker);
  if (left.length > 0) {
    log(`the run left ${left.length} process(es) behind; stopping them:`);
    process.stderr.write(`${formatTree(left)}\n`);
    await killRun();
  }
  if (stopping) return 130;
  if (vitestExit.signal) {
    log(`vitest was ended by ${vitestExit.signal}`);
    return 1;
  }
  return vitestExit.code ?? 1;
}

process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const code = await watch();
closeSync(fd);
process.exit(code);
