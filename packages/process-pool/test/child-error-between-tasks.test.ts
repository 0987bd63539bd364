import { ProcessPoolExecutor } from "@weft/process-pool";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureStderr } from "./helpers.js";

// A child that dies of an error between tasks (a timer a finished task left behind) prints it itself, as Node
// does, on the stderr the pool forwards. The executor core reports errors no future carries for transports
// that have no way of their own (the thread pool's excepthook); the process pool must not print it twice.
describe("an error a child dies of between tasks", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("appears on stderr exactly once, and the child is replaced", async () => {
    const stderr = captureStderr("weft-stray", "Exception in");
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const first = await ex.submit(() => {
      setTimeout(() => {
        throw new Error("weft-stray between tasks");
      }, 5);
      return process.pid;
    });
    let next = first;
    for (let i = 0; i < 100 && next === first; i++) {
      await new Promise((r) => setTimeout(r, 20));
      next = await ex.submit(() => process.pid);
    }
    await ex.shutdown(); // waits for the streams to close
    expect(next).not.toBe(first);
    expect(stderr.text().match(/Error: weft-stray between tasks/g)).toHaveLength(1);
    expect(stderr.text()).not.toMatch(/Exception in/);
  });
});
