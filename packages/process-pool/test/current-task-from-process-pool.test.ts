import { currentTask, moduleTask, NotInTaskError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { until } from "./helpers.js";

const fixtures = new URL("./fixtures/current-task-tasks.mjs", import.meta.url);

describe("currentTask() imported from @weft/process-pool", () => {
  it("is the running task inside a child: its signal and stop request", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    const describeTask = moduleTask<() => { signal: boolean; stopRequested: boolean }>(
      fixtures,
      "describeTask",
    );
    expect(await pool.submit(describeTask)).toEqual({ signal: true, stopRequested: false });
  });

  it("delivers the future's abort to a task that imported it from @weft/process-pool", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    const untilAborted = moduleTask<() => Promise<void>>(fixtures, "untilAborted");
    const ac = new AbortController();
    const f = pool.submitWith({ signal: ac.signal }, untilAborted);
    await until(() => f.running(), 20_000, "the task to start");
    ac.abort(new Error("stop now"));
    await expect(f).rejects.toThrow("stop now");
  });

  it("outside a task throws NotInTaskError", () => {
    expect(() => currentTask()).toThrow(NotInTaskError);
  });
});
