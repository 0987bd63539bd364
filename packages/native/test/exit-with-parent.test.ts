import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { exitWithParent } from "@weft/native/extension";
import { describe, expect, it } from "vitest";

// exitWithParent: the kernel ends the process when its parent dies (PR_SET_PDEATHSIG), even while the process's
// main thread never yields; a parent already gone means at once.
const run = promisify(execFile);
const parent = fileURLToPath(new URL("./fixtures/parent-of-busy-child.mjs", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));

/** Whether `pid` still runs: a zombie (dead, not yet reaped by whoever adopted it) does not. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe.runIf(process.platform === "linux")("exitWithParent on Linux", () => {
  it("a child whose main thread spins forever is killed when its parent is", async () => {
    const { stdout } = await run(process.execPath, [parent]).catch(
      (e: { stdout: string; signal: string }) => {
        expect(e.signal).toBe("SIGKILL"); // the parent kills itself once the child is armed
        return e;
      },
    );
    const child = Number(stdout.trim());
    expect(child).toBeGreaterThan(0);
    try {
      const deadline = Date.now() + 10_000;
      while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(alive(child)).toBe(false);
    } finally {
      if (alive(child)) process.kill(child, "SIGKILL");
    }
  }, 20_000);

  it("a process whose parent is not the pid given (its parent died before the call) is killed at once", () => {
    const source =
      'require("@weft/native/extension").exitWithParent(process.ppid + 1); setTimeout(() => {}, 5000);';
    const result = spawnSync(process.execPath, ["-e", source], { cwd: here, timeout: 10_000 });
    expect(result.signal).toBe("SIGKILL");
  });

  it("returns true once armed", () => {
    const source = 'console.log(require("@weft/native/extension").exitWithParent(process.ppid));';
    const result = spawnSync(process.execPath, ["-e", source], { cwd: here, encoding: "utf8" });
    expect(result.stdout.trim()).toBe("true");
  });
});

describe("exitWithParent", () => {
  it("refuses a pid that is not a positive integer", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, "1" as unknown as number]) {
      expect(() => exitWithParent(bad)).toThrow(TypeError);
    }
  });
});
