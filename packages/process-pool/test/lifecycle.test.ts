import { execFile } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { processExists, until } from "./helpers.js";

const run = promisify(execFile);

describe("child lifecycle", () => {
  it("preload modules are imported in each child before its tasks", async () => {
    const file = fileURLToPath(new URL("./fixtures/preloaded.mjs", import.meta.url));
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2, minWorkers: 2, preload: [file] });
    const seen = await Promise.all(
      Array.from({ length: 8 }, () =>
        ex.submit(() => (globalThis as { __preloaded?: number }).__preloaded ?? 0),
      ),
    );
    expect(seen).toEqual(Array(8).fill(1));
    // the same module named by URL is the same module
    await using ex2 = new ProcessPoolExecutor({ maxWorkers: 1, preload: [pathToFileURL(file)] });
    expect(await ex2.submit(() => (globalThis as { __preloaded?: number }).__preloaded)).toBe(1);
  });

  it("a preload that cannot be imported breaks the executor with the import error", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1, preload: ["/nonexistent/weft-preload.mjs"] });
    const err = (await ex.submit(() => 1).exception()) as Error;
    expect(err.name).toBe("BrokenExecutorError");
    expect(err.message).toMatch(/weft-preload/);
    await ex.shutdown();
  });

  it("an idle pool that is never shut down lets its parent exit, and its children follow", async () => {
    const script = fileURLToPath(new URL("./fixtures/idle-pool.mjs", import.meta.url));
    const { stdout } = await run(process.execPath, [script], { timeout: 30_000 });
    const { pids } = JSON.parse(stdout.trim()) as { pids: number[] };
    expect(pids).toHaveLength(2);
    await until(() => pids.every((pid) => !processExists(pid)), 10_000, "the children to exit");
  }, 40_000);
});
