import {
  BrokenProcessError,
  BrokenWorkerError,
  ChildExitError,
  ProcessPoolExecutor,
} from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, processExists, until } from "./helpers.js";

describe("a child that dies", () => {
  it("SIGKILL mid-task fails only that child's tasks with BrokenProcessError; the child is replaced", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2, minWorkers: 2, window: 4 });
    const pids = new Set(
      await Promise.all(Array.from({ length: 8 }, () => ex.submit(fixture<() => number>("pid")))),
    );
    // one long task on each child, then kill the child running the first one from outside
    const victim = ex.submit(fixture<(ms: number) => number>("spin"), 60_000);
    const other = ex.submit(fixture<(ms: number) => number>("spin"), 300);
    expect(pids.size).toBe(2);
    const survivorPid = await other;
    const victimPid = [...pids].find((p) => p !== survivorPid)!;
    expect(victimPid).toBeDefined();
    process.kill(victimPid, "SIGKILL");
    const err = await victim.exception();
    expect(err).toBeInstanceOf(BrokenProcessError);
    expect(err).toBeInstanceOf(BrokenWorkerError);
    expect((err as BrokenProcessError).signal).toBe("SIGKILL");
    expect((err as BrokenProcessError).exitCode).toBeNull();
    expect((err as Error).message).toMatch(/SIGKILL/);
    expect((err as Error).cause).toBeInstanceOf(ChildExitError);
    expect(((err as Error).cause as ChildExitError).pid).toBe(victimPid);
    // replaced: the pool still has two children and runs tasks
    expect(await Promise.all([1, 2, 3].map((i) => ex.submit(fixture("add"), i, 0)))).toEqual([1, 2, 3]);
    await until(() => ex.stats.workers === 2, 10_000, "a replacement child");
    await until(() => !processExists(victimPid), 5000, "the killed child to be reaped");
  });

  it("a task that kills its own child fails with the signal; tasks before it succeed", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, window: 8 });
    const before = [1, 2, 3].map((i) => ex.submit(fixture("add"), i, 0));
    expect(await Promise.all(before)).toEqual([1, 2, 3]);
    const crash = ex.submit(fixture("killSelf"));
    const err = (await crash.exception()) as BrokenProcessError;
    expect(err).toBeInstanceOf(BrokenProcessError);
    expect(err.signal).toBe("SIGKILL");
    expect(await ex.submit(fixture("add"), 4, 0)).toBe(4);
  });

  it("process.exit(code) reports the exit code", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const err = (await ex.submit(fixture("exitWith"), 7).exception()) as BrokenProcessError;
    expect(err).toBeInstanceOf(BrokenProcessError);
    expect(err.exitCode).toBe(7);
    expect(err.signal).toBeNull();
    expect(err.message).toMatch(/exited with code 7/);
  });

  it("an uncaught error outside the task is the cause", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, output: "ignore" });
    const err = (await ex.submit(fixture("throwLater")).exception()) as BrokenProcessError;
    expect(err).toBeInstanceOf(BrokenProcessError);
    expect(err.exitCode).toBe(1);
    expect((err.cause as Error).message).toBe("uncaught in a timer");
    expect(await ex.submit(fixture("add"), 1, 2)).toBe(3);
  });

  it("a BrokenWorkerError from a thread pool is not a BrokenProcessError", () => {
    expect(new BrokenWorkerError(1, null)).not.toBeInstanceOf(BrokenProcessError);
    expect(new BrokenProcessError(null, "SIGKILL")).toBeInstanceOf(BrokenWorkerError);
  });
});
