import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/thread-start-fails.mjs", import.meta.url));
// A thread limit needs a user of its own (root ignores RLIMIT_NPROC, and any other user's count includes
// all its processes and threads): as root, run the fixture with at most 300 threads as a user id nobody else
// uses, picked from this process's id (as "nobody", a run of this test under another Node version at the same
// time counted too, and Node could not start its own threads).
const uid = 40_000 + (process.pid % 20_000);
const AS_NOBODY = [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups"];
const canLimit =
  process.platform === "linux" &&
  process.getuid?.() === 0 &&
  existsSync("/usr/bin/setpriv") &&
  existsSync("/usr/bin/prlimit") &&
  nobodyCanLoad();

/** Whether "nobody" can read the fixture and load the package (not so in a checkout under /root). */
function nobodyCanLoad(): boolean {
  const index = fileURLToPath(new URL("../dist/index.cjs", import.meta.url));
  const probe = `require("node:fs").accessSync(${JSON.stringify(script)}); require(${JSON.stringify(index)});`;
  try {
    execFileSync("/usr/bin/setpriv", [...AS_NOBODY, process.execPath, "-e", probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("futexWaiter.waitAsync when its thread cannot start", () => {
  it.skipIf(!canLimit)(
    "rejects, and the process still exits by itself once nothing is pending",
    async () => {
      const args = ["--nproc=300:300", "setpriv", ...AS_NOBODY];
      // execFile's timeout kills a process that does not end (SIGTERM: the promise rejects).
      const { stdout } = await run("/usr/bin/prlimit", [...args, process.execPath, script], {
        timeout: 8000,
      });
      const { outcome } = JSON.parse(stdout.trim().split("\n").at(-1)!) as { outcome: string };
      expect(outcome).toMatch(/^rejected: futexWaitAsync: cannot start a thread/);
    },
    15_000,
  );
});
