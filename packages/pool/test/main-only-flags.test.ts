import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));

describe("a thread pool started from `node --input-type=module -e`", () => {
  it("runs tasks: its workers do not inherit the main-only flags", () => {
    const script = `
      import { ThreadPoolExecutor } from "@weft/pool";
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      console.log("result", await pool.submit((a) => a * 2, 21));
      await pool.shutdown();
    `;
    for (const flags of [
      ["--input-type=module", "-e"],
      ["--input-type", "module", "--test-reporter", "spec", "-e"],
    ]) {
      const run = spawnSync(process.execPath, [...flags, script], { cwd, encoding: "utf8", timeout: 60_000 });
      expect(run.stderr).not.toMatch(/ERR_INPUT_TYPE_NOT_ALLOWED|BrokenExecutorError/);
      expect(run.stdout).toContain("result 42");
      expect(run.status).toBe(0);
    }
  });
});
