import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The watchdog that `pnpm test` runs vitest under (scripts/test-watchdog/run.mjs), run here on the small
// projects in test/fixtures with a short stall limit.

const runJs = fileURLToPath(new URL("../../../scripts/test-watchdog/run.mjs", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "weft-watchdog-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
  seconds: number;
}

/** Runs the watchdog in a fixture project; kills it (and fails) if it has not exited after `limitMs`. */
function watchdog(project: string, env: Record<string, string>, limitMs: number): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = {};
  // This file runs inside vitest: the inner run must not see the outer one's variables.
  for (const [k, v] of Object.entries(process.env)) {
    // NODE_PATH too: the inner vitest must get it from its bin shim, as `pnpm test` did before the watchdog.
    if (!/^(VITEST|TEST$|WEFT_TEST_PROGRESS_FILE$|NODE_ENV$|NODE_PATH$)/.test(k)) childEnv[k] = v;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [runJs], {
    cwd: fixture(project),
    env: { ...childEnv, ...env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`the watchdog did not exit within ${limitMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, limitMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Whether a process runs (a zombie, already dead and waiting to be reaped, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== "linux") return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("the test watchdog (pnpm test)", () => {
  it("fails a run whose test blocks its thread, naming the file and test, and stops every process of it", async () => {
    const pidFile = join(scratch, "stuck-child.pid");
    const stallSeconds = 5;
    const run = await watchdog(
      "stuck",
      { WEFT_TEST_STALL_SECONDS: String(stallSeconds), FIXTURE_CHILD_PID_FILE: pidFile },
      90_000,
    );
    expect(run.code, run.stderr).toBe(124);
    const idle = Number(/no test file or test has started or ended for (\d+) s/.exec(run.stderr)?.[1]);
    expect(idle).toBeGreaterThanOrEqual(stallSeconds);
    expect(run.stderr).toMatch(
      /test files started and not finished:\n.*blocks-thread\.fixture\.mjs \(started/,
    );
    expect(run.stderr).toContain("test running: blocks its thread on a wait nobody ends");
    expect(run.stderr).not.toMatch(/started and not finished:[\s\S]*passes\.fixture\.mjs/);
    expect(run.stderr).toContain("it is waiting for a test worker");
    expect(run.stderr).toMatch(/processes of the run[^\n]*\n\d+ \(parent \d+, [^\n]*vitest\.mjs run/);
    expect(run.stderr).toMatch(/\n {4}\d+ \(parent \d+, [^\n]*-e setInterval/); // the test's child, two levels down
    expect(run.stderr).toMatch(/killed \d+ process\(es\); failing the run \(exit 124\)/);
    expect(run.stdout).toMatch(/passes\.fixture\.mjs/); // the healthy file still reported as usual
    // The child the stuck test started is gone too.
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(alive(pid)).toBe(false);
    // Start-up, the stall limit, then at most the SIGTERM grace before SIGKILL: well under a minute.
    expect(run.seconds).toBeLessThan(60);
  });

  it("stays out of a healthy run that takes longer than the limit, passing on vitest's exit code", async () => {
    const env = { WEFT_TEST_STALL_SECONDS: "8", FIXTURE_STEP_MS: "2500" };
    const ok = await watchdog("healthy", env, 90_000);
    expect(ok.stderr).not.toContain("[test watchdog]");
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.seconds).toBeGreaterThan(8); // the four steps alone take 10 s
    const failed = await watchdog("healthy", { ...env, FIXTURE_STEP_MS: "10", FIXTURE_FAIL: "1" }, 90_000);
    expect(failed.stderr).not.toContain("[test watchdog]");
    expect(failed.stdout).toContain("fails when asked to");
    expect(failed.code).toBe(1);
  });
});
