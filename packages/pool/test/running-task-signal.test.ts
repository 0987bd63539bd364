import { ThreadPoolExecutor } from "@weft/pool";
import { AbandonedLockError, type Guard, Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Issue 17 part 2 in a thread pool, with module tasks (the executor contract suite covers self-contained
// functions for both pools): a running task's currentTask().signal, and what happens to the locks it holds.

const steps = fixture<(lock?: Lock) => Promise<never>>("stepsUntilStopped");
const holdIgnoring = fixture<(lock: Lock) => void>("holdIgnoringSignal");
const whoAmI = fixture<() => number>("whoAmI");

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

describe("a running module task asked to stop", () => {
  it("sees currentTask().signal abort, cleans up, and keeps its worker", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, killAfter: 20_000 });
    const id = await pool.submit(whoAmI);
    const lock = new Lock();
    const ac = new AbortController();
    const reason = new Error("enough");
    const running = pool.submitWith({ signal: ac.signal }, steps, lock);
    await until(() => lock.locked());
    ac.abort(reason);
    await expect(running).rejects.toBe(reason);
    // It released the lock itself: nothing was abandoned.
    const g = (await lock.acquire({ timeout: 1000 })) as Guard;
    expect(g).toBeTruthy();
    g.release();
    expect(await pool.submit(whoAmI)).toBe(id);
  });

  it("that ignores its signal is stopped after killAfter; its lock is released as abandoned", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, killAfter: 100 });
    const id = await pool.submit(whoAmI);
    const lock = new Lock();
    const ac = new AbortController();
    const running = pool.submitWith({ signal: ac.signal }, holdIgnoring, lock);
    running.catch(() => {});
    await until(() => lock.locked());
    const pending = lock.acquire({ timeout: 20_000 }).then(
      () => "not told",
      (e: unknown) => e,
    );
    ac.abort(new Error("stop"));
    await expect(running).rejects.toThrow("stop");
    const e = await pending;
    expect(e).toBeInstanceOf(AbandonedLockError);
    (e as AbandonedLockError).guard!.release();
    expect(await pool.submit(whoAmI)).not.toBe(id);
  });
});
