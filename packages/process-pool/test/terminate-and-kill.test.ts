import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  CancelledError,
  ProcessPoolExecutor,
  ShutdownError,
  WorkerTerminatedError,
} from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, nativeAvailable, processExists, until } from "./helpers.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/stuck-then-exit.mjs", import.meta.url));

describe.each([
  ["terminateWorkers", "SIGTERM"],
  ["killWorkers", "SIGKILL"],
] as const)("%s()", (method, signal) => {
  it(`${signal}s busy children: running tasks fail with WorkerTerminatedError, queued ones are cancelled`, async () => {
    const pool = new ProcessPoolExecutor({ maxWorkers: 2, window: 4 });
    const pid = fixture<() => number>("pid");
    const pids = await Promise.all([pool.submit(pid), pool.submit(pid)]);
    const stuck = [pool.submit(fixture("blockForever")), pool.submit(fixture("blockForever"))];
    const queued = Array.from({ length: 10 }, (_, i) => pool.submit(fixture("add"), i, 0));
    await new Promise((r) => setTimeout(r, 300)); // the stuck tasks have started
    await pool[method]();
    for (const f of stuck) {
      const err = await f.exception();
      expect(err).toBeInstanceOf(WorkerTerminatedError);
      expect((err as WorkerTerminatedError).by).toBe(method);
    }
    for (const f of queued) {
      if (f.done() && !f.cancelled()) continue; // (without shared slots a sent task counts as started)
      await expect(f).rejects.toBeInstanceOf(CancelledError);
    }
    for (const pid of new Set(pids)) expect(processExists(pid)).toBe(false);
    expect(() => pool.submit(fixture("add"), 1, 1)).toThrow(ShutdownError);
  }, 30_000);
});

describe("a task that never ends does not keep the script alive", () => {
  it("after shutdown({ wait: false, cancelFutures: true }) the script exits and its children follow", async () => {
    const { stdout } = await run(process.execPath, [script, "cancel"], { timeout: 20_000 });
    const out = JSON.parse(stdout) as { pids: number[]; stuck: boolean };
    expect(out.stuck).toBe(false);
    await until(() => out.pids.every((pid) => !processExists(pid)), 10_000, "the children to exit");
  }, 40_000);

  it("terminateWorkers() ends it and the script exits", async () => {
    const { stdout } = await run(process.execPath, [script, "terminate"], { timeout: 20_000 });
    const out = JSON.parse(stdout) as { pids: number[]; stuck: string };
    expect(out.stuck).toBe("WorkerTerminatedError");
    for (const pid of out.pids) expect(processExists(pid)).toBe(false);
  }, 40_000);
});

describe("terminateWorkers() while children are still starting", () => {
  it.each([true, false])(
    "cancels the tasks sent to them (sharedSlots: %s): none had started",
    async (sharedSlots) => {
      if (sharedSlots && !nativeAvailable) return;
      const pool = new ProcessPoolExecutor({
        maxWorkers: 2,
        sharedSlots,
        initializer: fixture("slowInit"),
        initArgs: [60_000],
      });
      const futures = Array.from({ length: 20 }, (_, i) => pool.submit(fixture("add"), i, 1));
      await new Promise((r) => setTimeout(r, 300));
      await pool.terminateWorkers();
      for (const f of futures) {
        expect(f.cancelled()).toBe(true);
        await expect(f).rejects.toBeInstanceOf(CancelledError);
      }
    },
    30_000,
  );
});
