import { BrokenWorkerError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";

// Found by the fault soak: reporting a task's error read its `stack`, `message` (or, for a thrown Proxy, its
// description) without a guard, so an error whose getter throws made the report itself throw, uncaught: the
// child died and the task failed with BrokenWorkerError instead of its own error.

const throwers = {
  stackGetter: () => {
    const e = new Error("x");
    Object.defineProperty(e, "stack", {
      get() {
        throw new Error("stack getter");
      },
    });
    throw e;
  },
  messageGetter: () => {
    const e = new RangeError("x");
    Object.defineProperty(e, "message", {
      get() {
        throw new Error("message getter");
      },
    });
    throw e;
  },
  proxy: () => {
    throw new Proxy(
      {},
      {
        get() {
          throw new Error("proxy trap");
        },
      },
    );
  },
  causeGetter: () => {
    const e = new Error("x");
    Object.defineProperty(e, "cause", {
      get() {
        throw new Error("cause getter");
      },
    });
    throw e;
  },
};

for (const [kind, make] of [
  ["ProcessPoolExecutor", () => new ProcessPoolExecutor({ maxWorkers: 1 })],
] as const) {
  describe(`${kind}: an error whose getters throw fails only its task, and the child stays`, () => {
    it.each(Object.keys(throwers))("%s", async (name) => {
      await using pool = make();
      const before = await pool.submit(identity);
      const failed = await pool
        .submit(throwers[name as keyof typeof throwers])
        .exception({ timeout: 10_000 });
      expect(failed).not.toBeInstanceOf(BrokenWorkerError);
      if (name === "messageGetter") expect(failed).toBeInstanceOf(RangeError);
      if (name === "stackGetter" || name === "causeGetter") expect((failed as Error).message).toBe("x");
      // The worker that reported it is still the one that runs the next task.
      expect(await pool.submit(identity)).toBe(before);
    });
  });
}

/** A mark that lives as long as the worker (or child) that runs it. */
function identity(): number {
  const g = globalThis as { __weftProbeMark?: number };
  g.__weftProbeMark ??= Math.random();
  return g.__weftProbeMark;
}
