import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp } from "./fixtures/child.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/worker-teardown.mjs", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Runs the fixture in a fresh process (whose main thread never loads the addon) and returns its report. */
async function teardown(mode: string, ...args: string[]) {
  // execFile rejects on a non-zero exit or a signal (a SIGSEGV shows up as `signal: "SIGSEGV"`).
  const { stdout } = await run(process.execPath, [script, mode, ...args], {
    cwd: packageDir,
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { outcome: string; names: string[] };
}

afterEach(cleanUp);

/** Each segment the worker kept exists no more once its process has exited. */
function expectAllUnlinked(names: string[]): void {
  expect(names).toHaveLength(1);
  for (const name of names) expect(existsSync(`/dev/shm/${name}`)).toBe(false);
}

describe("a worker thread that is the first to use the addon", () => {
  for (const [mode, how, exit] of [
    ["exit", "ends normally", "exit 0"],
    ["terminate", "is terminated", "exit 1"],
    ["wait", "is terminated while an async futex wait is pending", "exit 1"],
  ] as const) {
    it(`${how} without crashing the process; its segments are unlinked at process exit`, async () => {
      const { outcome, names } = await teardown(mode);
      expect(outcome).toBe(exit);
      expectAllUnlinked(names);
    }, 70_000);
  }

  it("attached a segment and is terminated: no crash, and the attached segment is left alone", async () => {
    using shm = SharedMemory.create(4096);
    const { outcome } = await teardown("attach", shm.name);
    expect(outcome).toBe("exit 1");
    expect(existsSync(`/dev/shm/${shm.name}`)).toBe(true); // not the worker's to unlink
  }, 70_000);

  it("is a pool worker stopped by taskTimeout: no crash, and the task's segment is unlinked at exit", async () => {
    const { outcome, names } = await teardown("pool");
    expect(outcome).toBe("TaskTimeoutError");
    expectAllUnlinked(names);
  }, 70_000);
});
