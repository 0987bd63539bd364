import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, processExists } from "./helpers.js";

describe("shutdown", () => {
  it("waits for every child to exit and be reaped (no zombies), including killed and replaced ones", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 2, maxTasksPerChild: 5 });
    const pids = new Set<number>();
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => ex.submit(fixture<() => number>("pid"))),
    );
    for (const r of results) if (r.status === "fulfilled") pids.add(r.value);
    await ex.submit(fixture("killSelf")).exception();
    pids.add(await ex.submit(fixture<() => number>("pid")));
    expect(pids.size).toBeGreaterThanOrEqual(6);
    await ex.shutdown();
    // kill(pid, 0) succeeds on a zombie, so this also proves they were reaped
    for (const pid of pids) expect(processExists(pid)).toBe(false);
    expect(ex.stats.workers).toBe(0);
  }, 30_000); // starts at least seven children one after another: slow on a loaded machine

  it("shutdown({ cancelFutures }) cancels what has not started and still ends every child", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1, window: 1 });
    const pid = await ex.submit(fixture<() => number>("pid"));
    const running = ex.submit(fixture("sleepThen"), 200, "ran");
    const queued = Array.from({ length: 5 }, () => ex.submit(fixture("add"), 1, 1));
    await new Promise((r) => setTimeout(r, 50));
    await ex.shutdown({ cancelFutures: true });
    expect(await running).toBe("ran");
    expect(queued.every((f) => f.cancelled())).toBe(true);
    expect(processExists(pid)).toBe(false);
  });
});
