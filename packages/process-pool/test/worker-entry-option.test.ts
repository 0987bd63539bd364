import { ProcessPoolExecutor, WorkerEntryError } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./helpers.js";

const custom = new URL("./fixtures/custom-child-entry.mjs", import.meta.url);

describe("new ProcessPoolExecutor({ workerEntry })", () => {
  it("runs the pool's children on the given entry", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1, workerEntry: custom.pathname });
    expect(await pool.submit(() => (globalThis as { customEntry?: string }).customEntry)).toBe("process");
  });

  it("refuses what is not an absolute path or file: URL of an existing file, when the pool is created", () => {
    for (const workerEntry of [
      "process-child.js",
      "data:text/javascript,1",
      null,
      "/nonexistent/process-child.js",
    ]) {
      const error = thrownBy(() => new ProcessPoolExecutor({ workerEntry: workerEntry as string }));
      expect(error).toBeInstanceOf(WorkerEntryError);
      expect(error).toMatchObject({ code: "ERR_WEFT_WORKER_ENTRY" });
      expect(error.message).toMatch(/^new ProcessPoolExecutor\(\{ workerEntry \}\) /);
    }
  });
});
