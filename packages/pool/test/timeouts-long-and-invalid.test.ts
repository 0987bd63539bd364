import { InvalidTimeoutError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { asCompleted, Future, wait } from "../src/index.js";

// Node fires a setTimeout above 2^31 - 1 ms after about 1 ms. Every timeout weft takes must wait at least as
// long as asked, take Infinity as "no timeout", and refuse anything else with InvalidTimeoutError.
const LONG = 2 ** 31 + 10; // just past setTimeout's range
const HUGE = 30 * 86_400_000; // 30 days
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BAD: [string, unknown][] = [
  ["-1", -1],
  ["NaN", Number.NaN],
  ['"100"', "100"],
  ["null", null],
  ["{}", {}],
  ["-Infinity", -Infinity],
  ["10n", 10n],
];

/** Resolves to "pending" if `p` has not settled after `ms`, else to how it settled. */
async function stateAfter(p: Promise<unknown>, ms: number): Promise<string> {
  let state = "pending";
  p.then(
    () => {
      state = "resolved";
    },
    (e) => {
      state = `rejected ${(e as Error).name}`;
    },
  );
  await sleep(ms);
  return state;
}

describe("timeouts beyond setTimeout's range wait at least that long", () => {
  for (const timeout of [LONG, HUGE]) {
    it(`Future.result / exception({ timeout: ${timeout} }) do not time out early`, async () => {
      const f = new Future<number>();
      const r = f.result({ timeout });
      const e = f.exception({ timeout });
      expect(await stateAfter(r, 150)).toBe("pending");
      expect(await stateAfter(e, 0)).toBe("pending");
      f.setResult(7); // clears the timers
      expect(await r).toBe(7);
      expect(await e).toBeUndefined();
    });

    it(`wait({ timeout: ${timeout} }) does not return early`, async () => {
      const f = new Future<number>();
      const w = wait([f], { timeout });
      expect(await stateAfter(w, 150)).toBe("pending");
      f.setResult(1);
      const { done, notDone } = await w;
      expect(done.has(f)).toBe(true);
      expect(notDone.size).toBe(0);
    });

    it(`asCompleted({ timeout: ${timeout} }) does not throw early`, async () => {
      const f = new Future<number>();
      const it = asCompleted([f], { timeout });
      const next = it.next();
      expect(await stateAfter(next, 150)).toBe("pending");
      f.setResult(1);
      expect((await next).value).toBe(f);
      expect((await it.next()).done).toBe(true);
    });
  }

  it("Infinity means no timeout everywhere", async () => {
    const f = new Future<number>();
    const r = f.result({ timeout: Infinity });
    const w = wait([f], { timeout: Infinity });
    const it = asCompleted([f], { timeout: Infinity });
    const next = it.next();
    expect(await stateAfter(Promise.race([r, w, next]), 100)).toBe("pending");
    f.setResult(3);
    expect(await r).toBe(3);
    expect((await w).done.size).toBe(1);
    expect((await next).value).toBe(f);
  });

  it("a short finite timeout still fires (and 0 means do not wait)", async () => {
    const f = new Future<number>();
    await expect(f.result({ timeout: 20 })).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(f.result({ timeout: 0 })).rejects.toMatchObject({ name: "TimeoutError" });
    const { notDone } = await wait([f], { timeout: 0 });
    expect(notDone.has(f)).toBe(true);
    await expect(asCompleted([f], { timeout: 0 }).next()).rejects.toMatchObject({ name: "TimeoutError" });
    f.cancel();
  });
});

describe("a bad timeout is an InvalidTimeoutError, the same way everywhere", () => {
  for (const [label, bad] of BAD) {
    it(`timeout: ${label}`, async () => {
      const f = new Future<number>();
      const t = bad as number;
      // Promise-returning calls reject; they never throw synchronously.
      let r: Promise<unknown> | undefined;
      expect(() => {
        r = f.result({ timeout: t });
      }).not.toThrow();
      await expect(r).rejects.toBeInstanceOf(InvalidTimeoutError);
      await expect(f.exception({ timeout: t })).rejects.toBeInstanceOf(InvalidTimeoutError);
      let w: Promise<unknown> | undefined;
      expect(() => {
        w = wait([f], { timeout: t });
      }).not.toThrow();
      await expect(w).rejects.toBeInstanceOf(InvalidTimeoutError);
      // asCompleted returns an iterator: it throws at the call, before anything is iterated.
      expect(() => asCompleted([f], { timeout: t })).toThrow(InvalidTimeoutError);
      // The message names the parameter.
      await expect(f.result({ timeout: t })).rejects.toThrow(/Future\.result.*timeout/);
      await expect(wait([f], { timeout: t })).rejects.toThrow(/wait.*timeout/);
      expect(() => asCompleted([f], { timeout: t })).toThrow(/asCompleted.*timeout/);
    });
  }

  it("also when the future is already done", async () => {
    const f = new Future<number>();
    f.setResult(1);
    await expect(f.result({ timeout: -1 })).rejects.toBeInstanceOf(InvalidTimeoutError);
    await expect(f.exception({ timeout: Number.NaN })).rejects.toBeInstanceOf(InvalidTimeoutError);
    await expect(wait([f], { timeout: -5 })).rejects.toBeInstanceOf(InvalidTimeoutError);
  });

  it("undefined means no timeout", async () => {
    const f = new Future<number>();
    f.setResult(2);
    expect(await f.result({ timeout: undefined })).toBe(2);
    expect((await wait([f], { timeout: undefined })).done.size).toBe(1);
  });
});
