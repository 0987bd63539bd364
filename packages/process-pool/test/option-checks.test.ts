import { PoolOptionError, ProcessPoolExecutor } from "@weft/process-pool";
import { InvalidTimeoutError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { fixture, thrownBy } from "./helpers.js";

function optionError(fn: () => unknown): PoolOptionError {
  const err = thrownBy(fn);
  expect(err).toBeInstanceOf(PoolOptionError);
  return err as PoolOptionError;
}

describe("ProcessPoolExecutor options are checked like the thread pool's", () => {
  it("unknown keys name the nearest valid one, among the executor's and the process pool's own", () => {
    expect(optionError(() => new ProcessPoolExecutor({ maxWorker: 2 } as never)).message).toMatch(
      /^ProcessPoolExecutor options: unknown option "maxWorker" \(did you mean "maxWorkers"\?\); valid options: maxWorkers, .*preload, workerEntry$/,
    );
    expect(optionError(() => new ProcessPoolExecutor({ max_tasks_per_child: 2 } as never)).message).toMatch(
      /did you mean "maxTasksPerChild"/,
    );
    expect(optionError(() => new ProcessPoolExecutor({ exec_argv: [] } as never)).message).toMatch(
      /did you mean "execArgv"/,
    );
    const boom = new Error("boom");
    const unreadable = optionError(
      () =>
        new ProcessPoolExecutor({
          get execArgv(): string[] {
            throw boom;
          },
        }),
    );
    expect(unreadable.message).toMatch(/^ProcessPoolExecutor options: option "execArgv" could not be read/);
    expect(unreadable.cause).toBe(boom);
    expect(optionError(() => new ProcessPoolExecutor(42 as never)).message).toMatch(
      /^ProcessPoolExecutor options must be an object/,
    );
    expect(optionError(() => new ProcessPoolExecutor({ maxWorkers: 5000 })).message).toMatch(/at most 1024/);
    expect(() => new ProcessPoolExecutor({ taskTimeout: -1 })).toThrow(InvalidTimeoutError);
    expect(() => new ProcessPoolExecutor({ idleTimeout: Number.NaN })).toThrow(InvalidTimeoutError);
  });

  it("submitWith, map and shutdown options too", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    const add = fixture("add");
    expect(
      optionError(() => pool.submitWith({ signl: AbortSignal.abort() } as never, add, 1, 2)).message,
    ).toMatch(/^submitWith options: unknown option "signl" \(did you mean "signal"\?\)/);
    expect(optionError(() => pool.mapWith({ timeOut: 5 } as never, add, [1])).message).toMatch(
      /did you mean "timeout"/,
    );
    expect(optionError(() => pool.shutdown({ wiat: false } as never)).message).toMatch(/did you mean "wait"/);
    expect(await pool.submit(add, 2, 3)).toBe(5);
  });
});
