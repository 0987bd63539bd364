// The processes a test run started, found so that none escapes: the descendants of vitest's process by
// parent pid, any process whose environment carries the run's marker variable (a child whose parent died is
// re-parented away from the tree but keeps its environment, unless a test gave it one without the marker),
// and the processes already found before (with their descendants). Linux reads /proc; elsewhere `ps` gives
// the tree only. The run stays in the caller's process group, so that a CI job stopping its group stops it.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100; // /proc/<pid>/stat start times are in clock ticks; 100 on every Linux port in use

/** @returns {{ pid: number, ppid: number, state: string, startedSec: number, args: string }[]} */
function allProcesses() {
  if (process.platform === "linux") return fromProc();
  const out = execFileSync("ps", ["-A", "-o", "pid=,ppid=,stat=,etimes=,command="], {
    encoding: "utf8",
    timeout: 10_000,
  });
  const now = Date.now() / 1000;
  return out
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const [pid, ppid, state, etimes, ...args] = line.trim().split(/\s+/);
      return { pid: +pid, ppid: +ppid, state, startedSec: now - +etimes, args: args.join(" ") };
    });
}

function fromProc() {
  const uptime = Number.parseFloat(readFileSync("/proc/uptime", "utf8"));
  const bootSec = Date.now() / 1000 - uptime;
  const list = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid ... starttime (field 22); comm may hold spaces and parentheses: split after the last ")"
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      list.push({
        pid: +name,
        ppid: +f[1],
        state: f[0],
        startedSec: bootSec + +f[19] / CLK_TCK,
        args: cmdline || `[${comm}]`,
      });
    } catch {
      // it ended while we looked
    }
  }
  return list;
}

function hasMarker(pid, marker) {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker);
  } catch {
    return false;
  }
}

/**
 * The live processes of the run led by `leader`: its descendants, on Linux those whose
 * environment holds the `marker` entry "NAME=value", and those of `known` (pids seen before) still alive,
 * with their descendants; oldest first. Zombies are left out (already dead).
 */
export function runProcesses(leader, marker, known = []) {
  const all = allProcesses().filter((p) => p.pid !== process.pid && p.state !== "Z");
  const wanted = new Set([leader, ...known]);
  const mine = new Set(all.filter((p) => wanted.has(p.pid)).map((p) => p.pid));
  if (process.platform === "linux" && marker) {
    for (const p of all) if (!mine.has(p.pid) && hasMarker(p.pid, marker)) mine.add(p.pid);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => mine.has(p.pid)).sort((a, b) => a.startedSec - b.startedSec);
}

/** A command line made shorter: `root` as ".", pnpm's store folders left out of node_modules paths. */
function shorten(args, root) {
  const short = args
    .replaceAll(`${root}/`, "./")
    .replace(/\/node_modules\/\.pnpm\/[^/ ]+\/node_modules\//g, "/node_modules/");
  return short.length > 300 ? `${short.slice(0, 300)}...` : short;
}

/** A process tree as text: one line per process, indented under its parent, with state and age. */
export function formatTree(procs, root = process.cwd(), nowSec = Date.now() / 1000) {
  const byParent = new Map();
  const pids = new Set(procs.map((p) => p.pid));
  for (const p of procs) {
    const key = pids.has(p.ppid) ? p.ppid : 0;
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(p);
  }
  const lines = [];
  const walk = (parent, indent) => {
    for (const p of byParent.get(parent) ?? []) {
      const age = Math.max(0, Math.round(nowSec - p.startedSec));
      lines.push(
        `${"  ".repeat(indent)}${p.pid} (parent ${p.ppid}, state ${p.state}, ${age} s old) ${shorten(p.args, root)}`,
      );
      walk(p.pid, indent + 1);
    }
  };
  walk(0, 0);
  return lines.join("\n");
}

/** Sends `signal` to every process in `procs`; ignores those already gone. */
export function signalAll(procs, signal) {
  for (const p of procs) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // already gone
    }
  }
}
