import { Event, InvalidTimeoutError } from "@weft/sync";
import { Thread, ThreadStateError } from "@weft/threads";
import { describe, expect, it } from "vitest";

/** A thread (not started) that returns "released" once `release` is set. */
const waitingFor = (release: Event) =>
  new Thread({
    target: async (ev: Event) => {
      await ev.wait();
      return "released";
    },
    args: [release],
  });

describe("Thread.join", () => {
  it("resolves false on timeout while the thread runs, then true once it ended", async () => {
    const release = new Event();
    const t = waitingFor(release).start();
    expect(await t.join({ timeout: 50 })).toBe(false);
    expect(t.isAlive).toBe(true);
    expect(await t.join({ timeout: 0 })).toBe(false);
    release.set();
    expect(await t.join({ timeout: 10_000 })).toBe(true);
    expect(t.result).toBe("released");
  });

  it("stops waiting when the join's signal aborts, leaving the thread running", async () => {
    const release = new Event();
    const t = new Thread({ target: (ev: Event) => ev.wait(), args: [release] }).start();
    const controller = new AbortController();
    const joined = t.join({ signal: controller.signal });
    controller.abort(new Error("gave up"));
    await expect(joined).rejects.toThrow("gave up");
    expect(t.isAlive).toBe(true);
    await expect(t.join({ signal: AbortSignal.abort("already") })).rejects.toBe("already");
    release.set();
    expect(await t.join()).toBe(true);
  });

  it("serves several concurrent joiners", async () => {
    const t = new Thread({
      target: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return 7;
      },
    }).start();
    const results = await Promise.all([t.join(), t.join({ timeout: 10_000 }), t.join()]);
    expect(results).toEqual([true, true, true]);
  });

  it("rejects bad timeouts and joins of threads it cannot wait for", async () => {
    const t = new Thread({ target: () => 1 }).start();
    await expect(t.join({ timeout: -1 })).rejects.toThrow(RangeError);
    await expect(t.join({ timeout: Number.NaN })).rejects.toThrow(RangeError);
    await t.join();
    const { mainThread, currentThread } = await import("@weft/threads");
    await expect(mainThread().join()).rejects.toThrow(ThreadStateError);
    await expect(currentThread().join()).rejects.toThrow(/current thread/);
  });

  it("a timeout beyond setTimeout's range (2^31 ms and more) does not fire early", async () => {
    const release = new Event();
    const t = waitingFor(release).start();
    const joins = [2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER].map((timeout) => t.join({ timeout }));
    const early = await Promise.race([
      Promise.any(joins).then((v) => `returned ${v}`),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 300)),
    ]);
    expect(early).toBe("still waiting");
    release.set();
    expect(await Promise.all(joins)).toEqual([true, true, true]);
    expect(t.result).toBe("released");
  });

  it("rejects a negative, NaN or non-number timeout with InvalidTimeoutError; Infinity waits without limit", async () => {
    const t = new Thread({ target: () => 1 }).start();
    for (const timeout of [-1, Number.NaN, "10", null, Number.NEGATIVE_INFINITY]) {
      const error = await t.join({ timeout: timeout as number }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidTimeoutError);
      expect((error as Error).message).toMatch(/timeout/);
    }
    expect(await t.join({ timeout: Number.POSITIVE_INFINITY })).toBe(true);
    // Checked before the state: a bad timeout on a thread not started yet is still a timeout error.
    await expect(waitingFor(new Event()).join({ timeout: -5 })).rejects.toBeInstanceOf(InvalidTimeoutError);
  });
});
