import { Thread, WorkerEntryError } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./thrown-by.js";

const custom = new URL("./fixtures/custom-thread-entry.mjs", import.meta.url);

describe("new Thread({ workerEntry })", () => {
  it("runs the thread on the given entry (a file: URL, a URL string or an absolute path)", async () => {
    for (const workerEntry of [custom, custom.href, custom.pathname]) {
      const thread = new Thread({
        target: () => (globalThis as { customEntry?: string }).customEntry,
        workerEntry,
      }).start();
      await thread.join();
      expect(thread.result).toBe("thread");
    }
  });

  it("refuses what is not an absolute path or file: URL of an existing file, with WorkerEntryError", () => {
    const target = () => 1;
    for (const workerEntry of [
      "./thread-worker.js",
      "https://example.invalid/w.js",
      42,
      "/nonexistent/thread-worker.js",
    ]) {
      const error = thrownBy(() => new Thread({ target, workerEntry: workerEntry as string }));
      expect(error).toBeInstanceOf(WorkerEntryError);
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: "ERR_WEFT_WORKER_ENTRY" });
      expect(error.message).toMatch(/^new Thread\(\{ workerEntry \}\) /);
    }
    expect(thrownBy(() => new Thread({ target, workerEntry: "/nonexistent/x.js" })).message).toContain(
      "file:///nonexistent/x.js, which does not exist",
    );
  });
});
