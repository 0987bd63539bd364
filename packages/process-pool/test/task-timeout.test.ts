import { ProcessPoolExecutor, TaskTimeoutError } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, processExists, until } from "./helpers.js";

describe("per-task timeouts and aborts", () => {
  it("a task past its timeout fails with TaskTimeoutError; its child is killed and replaced", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, taskTimeout: 300 });
    const first = await ex.submit(fixture<() => number>("pid"));
    const slow = ex.submit(fixture<(ms: number) => number>("spin"), 60_000);
    const err = await slow.exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    await until(() => !processExists(first), 10_000, "the timed-out child to die");
    const next = await ex.submit(fixture<() => number>("pid"));
    expect(next).not.toBe(first);
  });

  it("submitWith({ timeout }) overrides the executor's, and an abort kills a running task's child", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const err = await ex.submitWith({ timeout: 200 }, fixture("spin"), 60_000).exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
    const ac = new AbortController();
    const running = ex.submitWith({ signal: ac.signal }, fixture("spin"), 60_000);
    await until(() => running.running(), 10_000, "the task to run");
    ac.abort(new Error("stop it"));
    expect(((await running.exception()) as Error).message).toBe("stop it");
    expect(await ex.submit(fixture("add"), 2, 3)).toBe(5);
  }, 20_000); // three children start and two are killed: over 5 s on a loaded 2-core machine
});
