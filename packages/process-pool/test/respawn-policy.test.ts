import { BrokenExecutorError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, nativeAvailable } from "./helpers.js";
import { poolChildren } from "./helpers-children.js";

/** SIGKILLs the first `n` pool children that appear (during their slow initializer: before they are ready). */
async function killWhileStarting(n: number, stop: () => boolean): Promise<number[]> {
  const killed: number[] = [];
  while (killed.length < n && !stop()) {
    for (const pid of poolChildren()) {
      if (killed.includes(pid) || killed.length >= n) continue;
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return killed;
}

describe.each([
  { sharedSlots: true, skip: !nativeAvailable },
  { sharedSlots: false, skip: false },
])("respawn policy, sharedSlots: $sharedSlots", ({ sharedSlots, skip }) => {
  it.skipIf(skip)(
    "three children SIGKILLed from outside while starting: every one of 200 queued tasks still runs",
    async () => {
      await using pool = new ProcessPoolExecutor({
        maxWorkers: 1,
        sharedSlots,
        initializer: fixture("slowInit"),
        initArgs: [1500],
        respawn: { backoffMs: 50 },
      });
      const futures = Array.from({ length: 200 }, (_, i) => pool.submit(fixture("add"), i, 1));
      let settled = false;
      const killed = await killWhileStarting(3, () => settled);
      expect(killed).toHaveLength(3);
      const values = await Promise.all(futures);
      settled = true;
      expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    },
    60_000,
  );

  it.skipIf(skip)(
    "past respawn.retries deaths in a row the executor breaks with BrokenExecutorError",
    async () => {
      const pool = new ProcessPoolExecutor({
        maxWorkers: 1,
        sharedSlots,
        initializer: fixture("slowInit"),
        initArgs: [1500],
        respawn: { retries: 1, backoffMs: 50 },
      });
      const futures = Array.from({ length: 20 }, (_, i) => pool.submit(fixture("add"), i, 1));
      await killWhileStarting(2, () => futures[0]!.done());
      for (const f of futures) {
        const err = await f.exception();
        expect(err).toBeInstanceOf(BrokenExecutorError);
        expect((err as Error).message).toMatch(/2 workers in a row died before they were ready/);
      }
      await pool.shutdown();
    },
    60_000,
  );
});
