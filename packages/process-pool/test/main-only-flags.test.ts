import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));

describe("a process pool started from `node -e`", () => {
  it("runs tasks: its children do not inherit the main-only flags (nor run the eval source)", () => {
    // A child that ran the eval source instead of its entry would start a pool of its own: it exits first.
    const script = `
      if (process.send) process.exit(3);
      const { ProcessPoolExecutor } = await import("@weft/process-pool");
      const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
      console.log("result", await pool.submit((a) => a * 2, 21));
      await pool.shutdown();
    `;
    for (const flags of [
      ["--input-type=module", "-e", script],
      ["--input-type=module", `--eval=${script}`],
    ]) {
      const run = spawnSync(process.execPath, flags, { cwd, encoding: "utf8", timeout: 60_000 });
      expect(run.stderr).not.toMatch(/ERR_INPUT_TYPE_NOT_ALLOWED|BrokenExecutorError/);
      expect(run.stdout).toContain("result 42");
      expect(run.status).toBe(0);
    }
  });
});
