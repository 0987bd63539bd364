import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));

// Python: submit() after interpreter shutdown began (an atexit handler) raises RuntimeError "cannot schedule
// new futures after interpreter shutdown" (test_submit_after_interpreter_shutdown). In Node nothing runs after
// the process's "exit" event, so a task submitted from an exit listener would never start and its future would
// stay pending, silently.
function runChild(script: string): { status: number | null; stdout: string; stderr: string } {
  // A timeout: a synchronous child that never ends would block this thread, where testTimeout cannot act.
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd,
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.error, "the child did not end within 30 s").toBeUndefined();
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("submitting while the process exits", () => {
  it("submit, map and run in an exit listener throw ShutdownError saying the process is exiting", () => {
    const script = `
      import { writeSync } from "node:fs";
      const outcomes = [];
      // Registered before the pool is loaded: it runs before any listener the pool adds.
      process.on("exit", () => {
        const { pool, ShutdownError } = globalThis.__probe;
        const attempt = (what, fn) => {
          try {
            const r = fn();
            outcomes.push(what + ": accepted " + String(r));
          } catch (e) {
            outcomes.push(what + ": " + (e instanceof ShutdownError) + " " + e.message);
          }
        };
        attempt("submit", () => pool.submit((x) => x, 1));
        attempt("map", () => pool.map((x) => x, [1]));
        let runError;
        pool.run((x) => x, 1).catch((e) => { runError = e; });
        attempt("submitWith", () => pool.submitWith({}, (x) => x, 1));
        writeSync(1, JSON.stringify(outcomes));
      });
      const { ThreadPoolExecutor, ShutdownError } = await import("@weft/pool");
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      await pool.submit((x) => x, 0);
      globalThis.__probe = { pool, ShutdownError };
    `;
    const run = runChild(script);
    expect(run.status, run.stderr).toBe(0);
    const outcomes = JSON.parse(run.stdout) as string[];
    expect(outcomes).toHaveLength(3);
    for (const outcome of outcomes) {
      expect(outcome).toMatch(/^(submit|map|submitWith): true /);
      expect(outcome).toMatch(/process is exiting/);
    }
  });
});
