import { Thread, ThreadError, ThreadOptionError, Timer } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./thrown-by.js";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

describe("new Thread({ resourceLimits }) (Python's threading.stack_size, and Node's heap limits)", () => {
  it("the thread's worker runs with the limits given", async () => {
    const t = new Thread({
      target: { module: threadTasks, export: "myResourceLimits" },
      resourceLimits: { maxOldGenerationSizeMb: 64, stackSizeMb: 2 },
    }).start();
    await t.join();
    expect(t.result).toMatchObject({ maxOldGenerationSizeMb: 64, stackSizeMb: 2 });
  });

  it("a later change to the options object does not reach the thread", async () => {
    const limits = { maxOldGenerationSizeMb: 48 };
    const t = new Thread({
      target: { module: threadTasks, export: "myResourceLimits" },
      resourceLimits: limits,
    });
    limits.maxOldGenerationSizeMb = 4;
    t.start();
    await t.join();
    expect(t.result).toMatchObject({ maxOldGenerationSizeMb: 48 });
  });

  it("a thread over its heap limit fails with a ThreadError caused by Node's out-of-memory error", async () => {
    const t = new Thread({
      target: { module: threadTasks, export: "exhaustMemory" },
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    }).start();
    const err = await t.join().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ThreadError);
    expect((err as ThreadError).cause).toMatchObject({ code: "ERR_WORKER_OUT_OF_MEMORY" });
  }, 30_000);

  it("bad limits are ThreadOptionErrors naming the key", () => {
    const target = () => 1;
    for (const [bad, message] of [
      ["big", /^new Thread\(\{ resourceLimits \}\) must be an object/],
      [null, /must be an object .*got null/],
      [[64], /must be an object .*got an array/],
      [
        { maxOldGenerationSize: 64 },
        /unknown option "maxOldGenerationSize" \(did you mean "maxOldGenerationSizeMb"\?\)/,
      ],
      [{ stackSizeMb: 0 }, /resourceLimits\.stackSizeMb must be a number of megabytes > 0, got 0/],
      [{ stackSizeMb: -1 }, /stackSizeMb must be a number of megabytes > 0/],
      [{ maxOldGenerationSizeMb: Number.NaN }, /got NaN/],
      [{ maxOldGenerationSizeMb: Number.POSITIVE_INFINITY }, /got Infinity/],
      [{ maxOldGenerationSizeMb: "64" }, /got 64/],
    ] as const) {
      const e = thrownBy(() => new Thread({ target, resourceLimits: bad as never }));
      expect(e).toBeInstanceOf(ThreadOptionError);
      expect(e.message).toMatch(message);
    }
  });
});

describe("new Timer(..., options) checks its options as new Thread does", () => {
  it("an unknown key is a ThreadOptionError naming the nearest valid one", () => {
    const e = thrownBy(() => new Timer(10, () => 1, [], { deamon: true } as never));
    expect(e).toBeInstanceOf(ThreadOptionError);
    expect(e.message).toBe(
      'new Timer options: unknown option "deamon" (did you mean "daemon"?); valid options: name, daemon, workerEntry, resourceLimits',
    );
  });

  it("options that are not an object are a ThreadOptionError", () => {
    for (const bad of [null, 5, "x", [1]]) {
      expect(thrownBy(() => new Timer(10, () => 1, [], bad as never))).toBeInstanceOf(ThreadOptionError);
    }
  });

  it("resourceLimits reach the timer's worker", async () => {
    const t = new Timer(1, { module: threadTasks, export: "myResourceLimits" }, [], {
      resourceLimits: { maxOldGenerationSizeMb: 80 },
    }).start();
    await t.join();
    expect(t.result).toMatchObject({ maxOldGenerationSizeMb: 80 });
  });
});
