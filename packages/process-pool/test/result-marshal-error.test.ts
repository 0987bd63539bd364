import { MarshalError, ProcessPoolExecutor } from "@weft/process-pool";
import { MarshalError as SyncMarshalError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("a task result that cannot reach the parent process", () => {
  it("fails the task with a MarshalError (class, code, path) whose message speaks of processes", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    for (const [task, path] of [
      ["returnsFunction", "result.nested.fn"],
      ["returnsShared", "result.rows[2].buffer"],
    ] as const) {
      const err = (await ex.submit(fixture(task)).exception()) as MarshalError;
      expect(err).toBeInstanceOf(MarshalError);
      expect(err).toBeInstanceOf(SyncMarshalError);
      expect(err.code).toBe("ERR_WEFT_MARSHAL");
      expect(err.path).toBe(path);
      expect(err.message).toMatch(/cross processes/);
      expect(err.message).not.toMatch(/cross threads/);
    }
  });
});
