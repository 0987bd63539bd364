import { Event, InvalidTimeoutError } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

const blocked = () =>
  new Thread({
    target: async (ev: Event) => {
      await ev.wait();
      return "released";
    },
    args: [new Event()],
  });

describe("Thread.join({ timeout })", () => {
  it("a timeout beyond setTimeout's range (2^31 ms and more) does not fire early", async () => {
    const release = new Event();
    const t = new Thread({
      target: async (ev: Event) => {
        await ev.wait();
        return "released";
      },
      args: [release],
    }).start();
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
    await expect(blocked().join({ timeout: -5 })).rejects.toBeInstanceOf(InvalidTimeoutError);
  });
});
