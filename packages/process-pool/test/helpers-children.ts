import { readdirSync, readFileSync } from "node:fs";

/** Pids of this process's living children that run a pool child (dist/process-child.js). */
export function poolChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== process.pid || fields[0] === "Z") continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("child.js")) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
