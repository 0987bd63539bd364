import { ProcessPoolExecutor } from "@weft/process-pool";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureStderr } from "./helpers.js";

// A task returns a large result and leaves a timer behind that throws. The child's IPC channel writes the result
// over many turns of its event loop (the pipe holds 64 KiB at a time), so the timer fires while most of it is
// still in the child. The task finished: its future must resolve with the whole value, never fail with
// BrokenProcessError; the child dies of the error afterwards (printed once, as Node prints it) and is replaced.
describe("a result still being written when a stray error kills the child", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is delivered whole, then the child dies of the error and is replaced", async () => {
    const stderr = captureStderr("weft-stray-large");
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      const [pid, bytes] = await ex.submit(() => {
        setTimeout(() => {
          throw new Error("weft-stray-large after the result");
        }, 0);
        const big = new Uint8Array(24 << 20);
        big[big.length - 1] = 7;
        return [process.pid, big] as const;
      });
      expect(bytes.length).toBe(24 << 20);
      expect(bytes[bytes.length - 1]).toBe(7);
      let next = pid;
      for (let i = 0; i < 100 && next === pid; i++) {
        await new Promise((r) => setTimeout(r, 20));
        next = await ex.submit(() => process.pid);
      }
      expect(next).not.toBe(pid);
    } finally {
      await ex.shutdown();
    }
    expect(stderr.text().match(/Error: weft-stray-large after the result/g)).toHaveLength(1);
  });

  it("is not waited for when a task's own uncaughtException listener keeps the child alive", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      const pid = await ex.submit(() => {
        process.on("uncaughtException", () => {});
        setTimeout(() => {
          throw new Error("handled by the task's own listener");
        }, 0);
        return process.pid;
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(await ex.submit(() => process.pid)).toBe(pid);
    } finally {
      await ex.shutdown();
    }
  });
});
