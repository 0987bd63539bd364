import {
  BrokenProcessError,
  BrokenWorkerError,
  ChildExitError,
  ProcessPoolExecutor,
} from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, processExists, until } from "./helpers.js";

describe("a child that dies", () => {
  it("SIGKILL mid-task fails only the running task with BrokenProcessError; the rest are retried", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, window: 8 });
    const victimPid = await ex.submit(fixture<() => number>("pid"));
    const victim = ex.submit(fixture<(ms: number) => number>("spin"), 60_000);
    const behind = [1, 2, 3, 4].map((i) => ex.submit(fixture("add"), i, 0));
    await until(() => victim.running(), 10_000, "the victim to run");
    process.kill(victimPid, "SIGKILL");
    const err = await victim.exception();
    expect(err).toBeInstanceOf(BrokenProcessError);
    expect((err as Error).name).toBe("BrokenProcessError");
    expect(err).toBeInstanceOf(BrokenWorkerError);
    expect((err as BrokenProcessError).signal).toBe("SIGKILL");
    expect((err as BrokenProcessError).exitCode).toBeNull();
    expect((err as Error).message).toMatch(/SIGKILL/);
    expect((err as Error).cause).toBeInstanceOf(ChildExitError);
    expect(((err as Error).cause as ChildExitError).pid).toBe(victimPid);
    // the tasks sent behind it had not started: they ran on the replacement child
    expect(await Promise.all(behind)).toEqual([1, 2, 3, 4]);
    const replacement = await ex.submit(fixture<() => number>("pid"));
    expect(replacement).not.toBe(victimPid);
    await until(() => !processExists(victimPid), 5000, "the killed child to be reaped");
  });

  it("without shared slots, every task sent to the killed child fails with it", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, window: 8, sharedSlots: false });
    const victimPid = await ex.submit(fixture<() => number>("pid"));
    const victim = ex.submit(fixture<(ms: number) => number>("spin"), 60_000);
    const behind = [1, 2, 3, 4].map((i) => ex.submit(fixture("add"), i, 0));
    await new Promise((r) => setTimeout(r, 100)); // all five are sent to the child at once
    process.kill(victimPid, "SIGKILL");
    for (const f of [victim, ...behind]) {
      const err = (await f.exception()) as BrokenProcessError;
      expect(err).toBeInstanceOf(BrokenProcessError);
      expect(err.signal).toBe("SIGKILL");
    }
    expect(await ex.submit(fixture("add"), 5, 0)).toBe(5);
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
