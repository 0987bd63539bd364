import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { moduleTask, ProcessPoolExecutor } from "@weft/process-pool";
import { afterAll, describe, expect, it } from "vitest";
import { nativeAvailable, until } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "weft-slow-module-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A task counts as started once its child claims its slot, and a child claims it only after the task's module
// has loaded: a child killed while the module loads leaves the task unstarted, so it runs on a replacement.
describe.skipIf(!nativeAvailable)("a child killed while a task's module loads", () => {
  it("leaves the task unstarted: it runs on a replacement child instead of failing", async () => {
    const file = join(dir, "pids");
    const pool = new ProcessPoolExecutor({
      maxWorkers: 1,
      env: { ...process.env, WEFT_SLOW_MODULE_FILE: file },
    });
    try {
      await pool.submit((n: number) => n, 1); // the child is up
      const task = moduleTask<(n: number) => number>(
        new URL("./fixtures/slow-module.mjs", import.meta.url),
        "double",
      );
      const f = pool.submit(task, 21);
      await until(
        () => existsSync(file) && readFileSync(file, "utf8").trim() !== "",
        20_000,
        "the module to load",
      );
      const loadingPid = Number(readFileSync(file, "utf8").trim().split("\n")[0]);
      process.kill(loadingPid, "SIGKILL");
      expect(await f).toBe(42);
      const pids = readFileSync(file, "utf8").trim().split("\n").map(Number);
      expect(pids.length).toBe(2);
      expect(pids[1]).not.toBe(loadingPid);
    } finally {
      await pool.shutdown();
    }
  }, 30_000);
});
