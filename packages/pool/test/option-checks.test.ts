import { PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { InvalidTimeoutError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { fixture, thrownBy } from "./helpers.js";

function optionError(fn: () => unknown): PoolOptionError {
  const err = thrownBy(fn);
  expect(err).toBeInstanceOf(PoolOptionError);
  return err as PoolOptionError;
}

describe("ThreadPoolExecutor options are checked: unknown keys, types, bounds", () => {
  it("a misspelt or unknown key is a PoolOptionError naming it and the nearest valid one", () => {
    const e = optionError(() => new ThreadPoolExecutor({ maxWorker: 4 } as never));
    expect(e.message).toMatch(
      /^ThreadPoolExecutor options: unknown option "maxWorker" \(did you mean "maxWorkers"\?\)/,
    );
    expect(e.message).toMatch(/valid options: maxWorkers, minWorkers, .*resourceLimits, name, workerEntry$/);
    expect(optionError(() => new ThreadPoolExecutor({ max_workers: 4 } as never)).message).toMatch(
      /did you mean "maxWorkers"/,
    );
    expect(optionError(() => new ThreadPoolExecutor({ taskTimout: 5 } as never)).message).toMatch(
      /did you mean "taskTimeout"/,
    );
    expect(optionError(() => new ThreadPoolExecutor({ resourceLimit: {} } as never)).message).toMatch(
      /did you mean "resourceLimits"/,
    );
    expect(optionError(() => new ThreadPoolExecutor({ colour: "blue" } as never)).message).toMatch(
      /unknown option "colour"; valid options: /,
    );
    // a key is unknown even when its value is undefined
    expect(() => new ThreadPoolExecutor({ maxWorker: undefined } as never)).toThrow(PoolOptionError);
    // an option that cannot be read is named, with what its getter threw as the cause
    const boom = new Error("boom");
    const unreadable = optionError(
      () =>
        new ThreadPoolExecutor({
          get maxWorkers(): number {
            throw boom;
          },
        }),
    );
    expect(unreadable.message).toBe(
      'ThreadPoolExecutor options: option "maxWorkers" could not be read: its getter threw (Error: boom); pass the value itself',
    );
    expect(unreadable.cause).toBe(boom);
    // a symbol is never an option name
    expect(optionError(() => new ThreadPoolExecutor({ [Symbol("maxWorkers")]: 4 } as never)).message).toMatch(
      /^ThreadPoolExecutor options: unknown option Symbol\(maxWorkers\) \(option names are strings\)/,
    );
  });

  it("respawn is checked like every other options object", () => {
    expect(optionError(() => new ThreadPoolExecutor({ respawn: { retrys: 3 } as never })).message).toBe(
      'respawn: unknown option "retrys" (did you mean "retries"?); valid options: retries, backoffMs, maxBackoffMs',
    );
    expect(
      optionError(() => new ThreadPoolExecutor({ respawn: { [Symbol("retries")]: 3 } as never })).message,
    ).toMatch(/^respawn: unknown option Symbol\(retries\)/);
    expect(optionError(() => new ThreadPoolExecutor({ respawn: [3] as never })).message).toBe(
      "respawn must be an object such as { retries: 5, backoffMs: 100 }, got an array",
    );
    expect(optionError(() => new ThreadPoolExecutor({ respawn: null as never })).message).toMatch(
      /, got null$/,
    );
    expect(
      optionError(() => new ThreadPoolExecutor({ respawn: Object.create({ backofMs: 1 }) })).message,
    ).toMatch(/did you mean "backoffMs"/);
  });

  it("options that are not an object are refused (null and undefined mean the defaults)", async () => {
    for (const bad of [42, "4", true, [4]]) {
      expect(optionError(() => new ThreadPoolExecutor(bad as never)).message).toMatch(
        /^ThreadPoolExecutor options must be an object/,
      );
    }
    await new ThreadPoolExecutor(undefined).shutdown();
    await new ThreadPoolExecutor(null as never).shutdown();
  });

  it("resourceLimits must be an object of known limits, each a number of MB > 0", () => {
    expect(optionError(() => new ThreadPoolExecutor({ resourceLimits: "big" as never })).message).toMatch(
      /^resourceLimits must be an object/,
    );
    expect(
      optionError(() => new ThreadPoolExecutor({ resourceLimits: { maxOldGenerationSize: 64 } as never }))
        .message,
    ).toMatch(
      /^resourceLimits: unknown option "maxOldGenerationSize" \(did you mean "maxOldGenerationSizeMb"\?\)/,
    );
    for (const v of ["64", -1, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        optionError(() => new ThreadPoolExecutor({ resourceLimits: { maxOldGenerationSizeMb: v as never } }))
          .message,
      ).toMatch(/resourceLimits\.maxOldGenerationSizeMb must be a number of megabytes > 0/);
    }
    expect(optionError(() => new ThreadPoolExecutor({ name: 7 as never })).message).toMatch(
      /^name must be a string/,
    );
  });

  it("maxWorkers is at most 1024", async () => {
    expect(optionError(() => new ThreadPoolExecutor({ maxWorkers: 1025 })).message).toMatch(
      /maxWorkers must be at most 1024, got 1025/,
    );
    expect(() => new ThreadPoolExecutor({ maxWorkers: Number.POSITIVE_INFINITY })).toThrow(PoolOptionError);
    await new ThreadPoolExecutor({ maxWorkers: 1024 }).shutdown();
  });

  it("taskTimeout and idleTimeout are timeouts: InvalidTimeoutError unless ms >= 0 or Infinity", async () => {
    for (const bad of [-1, Number.NaN, "5"]) {
      expect(() => new ThreadPoolExecutor({ taskTimeout: bad as never })).toThrow(InvalidTimeoutError);
      expect(() => new ThreadPoolExecutor({ idleTimeout: bad as never })).toThrow(InvalidTimeoutError);
    }
    expect(() => new ThreadPoolExecutor({ taskTimeout: -1 })).toThrow(
      /^taskTimeout must be a number of milliseconds/,
    );
    await using pool = new ThreadPoolExecutor({ taskTimeout: Number.POSITIVE_INFINITY, idleTimeout: 0 });
    expect(await pool.submit(fixture("add"), 1, 2)).toBe(3);
  });
});

describe("per-call options are checked the same way", () => {
  it("submitWith, map and shutdown refuse unknown keys and non-objects, naming the nearest valid key", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const add = fixture("add");
    expect(optionError(() => pool.submitWith({ timout: 5 } as never, add, 1, 2)).message).toMatch(
      /^submitWith options: unknown option "timout" \(did you mean "timeout"\?\); valid options: signal, timeout, transfer$/,
    );
    expect(optionError(() => pool.submitWith({ signal: "stop" } as never, add, 1, 2)).message).toMatch(
      /signal must be an AbortSignal/,
    );
    expect(() => pool.submitWith({ timeout: -5 }, add, 1, 2)).toThrow(InvalidTimeoutError);
    expect(optionError(() => pool.submitWith(42 as never, add, 1, 2)).message).toMatch(
      /^submitWith options must be an object/,
    );
    expect(optionError(() => pool.mapWith({ chunkSize: 2 } as never, add, [1])).message).toMatch(
      /^mapWith options: unknown option "chunkSize" \(did you mean "chunksize"\?\)/,
    );
    expect(optionError(() => pool.mapWith(5 as never, add, [1])).message).toMatch(
      /^mapWith options must be an object/,
    );
    expect(pool.stats.queued + pool.stats.inflight).toBe(0);
    expect(optionError(() => pool.shutdown({ cancel_futures: true } as never)).message).toMatch(
      /^shutdown options: unknown option "cancel_futures" \(did you mean "cancelFutures"\?\)/,
    );
    expect(optionError(() => pool.shutdown({ wait: "no" as never })).message).toMatch(
      /shutdown options: wait must be true or false/,
    );
    // none of these shut the pool down
    expect(await pool.submitWith({ timeout: 10_000 }, add, 1, 2)).toBe(3);
  });
});
