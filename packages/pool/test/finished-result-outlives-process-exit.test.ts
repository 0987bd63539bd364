import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BrokenWorkerError, ThreadPoolExecutor } from "@weft/pool";
import { afterAll, describe, expect, it } from "vitest";

// A task finishes and leaves a timer behind that calls process.exit(). Its result must reach its future even
// when the timer fires before the result has left the worker: here, the first result that needs @weft/sync's
// marshal walk (a Map) waits in the worker while @weft/sync loads, and the timer fires meanwhile. The worker
// exits once the result has left (the code after process.exit() does not run) and is replaced.
describe("a finished task's result outlives a process.exit() called after it", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-exit-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a result waiting for its encoding is delivered, then the worker exits and is replaced", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    // A string argument: nothing loads @weft/sync before the result needs it.
    const after = join(dir, "after-exit");
    const caught = join(dir, "caught");
    const [id, map] = await pool.submit(
      async (marker: string, seen: string) => {
        const { threadId } = await import("node:worker_threads");
        const { writeFileSync } = await import("node:fs");
        setTimeout(() => {
          try {
            process.exit(4);
          } catch (e) {
            // What catches everything can tell the held exit by its code, and let it go on.
            writeFileSync(seen, String((e as { code?: unknown }).code));
            throw e;
          }
          writeFileSync(marker, "the code after process.exit() ran");
        }, 0);
        return [threadId, new Map([["k", 1]])] as const;
      },
      after,
      caught,
    );
    expect(map.get("k")).toBe(1);
    let next = id;
    for (let i = 0; i < 200 && next === id; i++) {
      await new Promise((r) => setTimeout(r, 10));
      next = await pool.submit(async () => (await import("node:worker_threads")).threadId);
    }
    expect(next).not.toBe(id); // the worker exited and was replaced
    expect(existsSync(after)).toBe(false); // the code after process.exit() did not run
    expect(readFileSync(caught, "utf8")).toBe("ERR_WEFT_HELD_EXIT");
  });

  it("a task that calls process.exit() still fails with BrokenWorkerError and its exit code", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const err = await pool
      .submit(async () => {
        await new Promise((r) => setTimeout(r, 0));
        process.exit(5);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenWorkerError);
    expect((err as BrokenWorkerError).exitCode).toBe(5);
    expect(await pool.submit(() => 1 + 1)).toBe(2);
  });
});
