import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

const native = await loadNative();

describe("a process pool with shared slots in a worker thread", () => {
  // Node tracks the descriptors a worker thread opens through node:fs, and warns when one it did not open is
  // closed there: the slot memory's descriptor comes from @weft/native, and is closed once per child.
  it.skipIf(native === undefined)(
    "prints no 'closed but not opened in unmanaged mode' warning",
    async () => {
      const worker = new Worker(new URL("./fixtures/pool-in-worker.mjs", import.meta.url), {
        workerData: { sharedSlots: true },
        stderr: true,
      });
      let stderr = "";
      worker.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [pid] = (await once(worker, "message")) as [number];
      const [code] = (await once(worker, "exit")) as [number];
      expect(typeof pid).toBe("number");
      expect(code).toBe(0);
      expect(stderr).not.toMatch(/unmanaged mode/);
      expect(stderr).toBe("");
    },
    15_000,
  );
});
