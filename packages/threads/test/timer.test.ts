import { Event, InvalidTimeoutError } from "@weft/sync";
import { enumerate, Thread, Timer } from "@weft/threads";
import { describe, expect, it } from "vitest";

describe("Timer (Python's threading.Timer)", () => {
  it("runs its target once on a worker thread, after the interval, with its args", async () => {
    const timer = new Timer(
      100,
      async (a: number, b: number) => {
        const { isMainThread } = await import("node:worker_threads");
        return { sum: a + b, isMainThread };
      },
      [2, 3],
      { name: "adder" },
    );
    expect(timer).toBeInstanceOf(Thread);
    expect(timer.interval).toBe(100);
    expect(timer.isAlive).toBe(false);
    timer.start();
    expect(timer.isAlive).toBe(true);
    expect(timer.name).toBe("adder");
    expect(enumerate()).toContain(timer);
    expect(await timer.join()).toBe(true);
    expect(timer.result).toEqual({ sum: 5, isMainThread: false });
    expect(typeof timer.ident).toBe("number");
    expect(timer.cancel()).toBe(false); // already ran
  });

  it("does not run before the interval has passed", async () => {
    const ran = new Event();
    const timer = new Timer(1500, (e: Event) => e.set(), [ran]).start();
    expect(await ran.wait({ timeout: 300 })).toBe(false);
    expect(await timer.join({ timeout: 30_000 })).toBe(true);
    expect(ran.isSet()).toBe(true);
  });

  it("cancelled while waiting: the target never runs, no worker is started, join() resolves", async () => {
    const ran = new Event();
    const timer = new Timer(200, (e: Event) => e.set(), [ran]).start();
    expect(timer.cancel()).toBe(true);
    expect(timer.isAlive).toBe(false);
    expect(await timer.join()).toBe(true);
    expect(timer.ident).toBeUndefined();
    expect(timer.result).toBeUndefined();
    expect(timer.cancel()).toBe(false);
    expect(await ran.wait({ timeout: 600 })).toBe(false);
    expect(enumerate()).not.toContain(timer);
  });

  it("cancelled before start: starting it ends it at once, without running", async () => {
    const ran = new Event();
    const timer = new Timer(0, (e: Event) => e.set(), [ran]);
    expect(timer.cancel()).toBe(true);
    timer.start();
    expect(await timer.join()).toBe(true);
    expect(timer.ident).toBeUndefined();
    expect(await ran.wait({ timeout: 300 })).toBe(false);
    expect(() => timer.start()).toThrow(/already been started/);
  });

  it("an interval beyond setTimeout's range does not fire early; join({ timeout }) waits meanwhile", async () => {
    const ran = new Event();
    const timer = new Timer(2 ** 31 + 10, (e: Event) => e.set(), [ran]).start();
    expect(await ran.wait({ timeout: 300 })).toBe(false);
    expect(await timer.join({ timeout: 50 })).toBe(false);
    expect(timer.isAlive).toBe(true);
    expect(timer.cancel()).toBe(true);
    expect(await timer.join()).toBe(true);
  });

  it("validates the interval like every weft timeout, and the target at start()", () => {
    for (const bad of [-1, Number.NaN, "10", undefined]) {
      expect(() => new Timer(bad as number, () => 1)).toThrow(InvalidTimeoutError);
    }
    const outer = 3;
    const timer = new Timer(10, () => outer);
    expect(() => timer.start()).toThrow(/outer variable `outer`/);
    expect(timer.isAlive).toBe(false);
  });

  it("a failing target is reported by join() as for any thread", async () => {
    const timer = new Timer(10, () => {
      throw new RangeError("late failure");
    }).start();
    await expect(timer.join()).rejects.toThrow(/late failure/);
    expect(timer.error).toBeInstanceOf(RangeError);
  });
});
