import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nativeAvailable, processExists, until } from "./helpers.js";

const script = fileURLToPath(new URL("./fixtures/starting-parent.mjs", import.meta.url));

/** Pids of the live children of `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // it exited meanwhile
    }
  }
  return out;
}

/** Entries of /dev/shm that a process with this pid created (@weft/native names them weft-<pid>-...). */
const segmentsOf = (pid: number) => readdirSync("/dev/shm").filter((n) => n.startsWith(`weft-${pid}-`));

describe.skipIf(!nativeAvailable)("the pool's own slot segments", () => {
  it("are not left in /dev/shm when the parent is killed with SIGKILL while its children start", async () => {
    const leaked: string[] = [];
    for (let round = 0; round < 6; round++) {
      const parent = spawn(process.execPath, [script, round % 2 === 0 ? "start" : "run"], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      parent.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      try {
        await until(() => out.includes("spawned"), 30_000, "the parent to start its pool");
        const children = childrenOf(parent.pid!);
        expect(children.length).toBeGreaterThan(0);
        parent.kill("SIGKILL");
        await once(parent, "exit");
        await until(() => children.every((pid) => !processExists(pid)), 20_000, "the children to exit");
        leaked.push(...segmentsOf(parent.pid!));
      } finally {
        parent.kill("SIGKILL");
      }
    }
    try {
      expect(leaked).toEqual([]);
    } finally {
      for (const name of leaked) rmSync(`/dev/shm/${name}`, { force: true });
    }
  }, 120_000);
});
