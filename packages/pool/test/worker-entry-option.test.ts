import { ThreadPoolExecutor, WorkerEntryError } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./helpers.js";

const custom = new URL("./fixtures/custom-pool-entry.mjs", import.meta.url);

describe("new ThreadPoolExecutor({ workerEntry })", () => {
  it("runs the pool's workers on the given entry", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, workerEntry: custom });
    expect(await pool.submit(() => (globalThis as { customEntry?: string }).customEntry)).toBe("pool");
  });

  it("refuses what is not an absolute path or file: URL of an existing file, when the pool is created", () => {
    for (const workerEntry of [
      "pool-worker.js",
      new URL("https://example.invalid/w.js"),
      {},
      "/nonexistent/pool-worker.js",
    ]) {
      const error = thrownBy(() => new ThreadPoolExecutor({ workerEntry: workerEntry as string }));
      expect(error).toBeInstanceOf(WorkerEntryError);
      expect(error).toMatchObject({ code: "ERR_WEFT_WORKER_ENTRY" });
      expect(error.message).toMatch(/^new ThreadPoolExecutor\(\{ workerEntry \}\) /);
    }
  });
});
