import { describe, expect, it } from "vitest";
import { CancelledError, Future, InvalidStateError, TimeoutError } from "../src/index.js";

describe("Future", () => {
  it("starts pending and resolves through setResult", async () => {
    const f = new Future<number>();
    expect([f.done(), f.running(), f.cancelled()]).toEqual([false, false, false]);
    f.setResult(5);
    expect(f.done()).toBe(true);
    expect(await f).toBe(5);
    expect(await f.result()).toBe(5);
    expect(await f.exception()).toBeUndefined();
  });

  it("rejects with the exception and exception() returns it", async () => {
    const f = new Future<number>();
    const err = new Error("boom");
    f.setException(err);
    await expect(f.result()).rejects.toBe(err);
    expect(await f.exception()).toBe(err);
    await expect(f).rejects.toBe(err);
  });

  it("refuses to be set twice", () => {
    const f = new Future<number>();
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error("x"))).toThrow(InvalidStateError);
  });

  it("cancel() works only before running, and cancelled futures raise CancelledError", async () => {
    const a = new Future<number>();
    expect(a.cancel()).toBe(true);
    expect(a.cancel()).toBe(true);
    expect(a.cancelled()).toBe(true);
    expect(a.done()).toBe(true);
    await expect(a.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(a.exception()).rejects.toBeInstanceOf(CancelledError);

    const b = new Future<number>();
    expect(b.setRunningOrNotifyCancel()).toBe(true);
    expect(b.running()).toBe(true);
    expect(b.cancel()).toBe(false);
    b.setResult(3);
    expect(b.cancel()).toBe(false);
    expect(b.running()).toBe(false);

    const c = new Future<number>();
    c.cancel();
    expect(c.setRunningOrNotifyCancel()).toBe(false);
  });

  it("runs done callbacks in order, at once when already done, and survives a throwing one", () => {
    const f = new Future<string>();
    const seen: string[] = [];
    const error = console.error;
    const logged: unknown[] = [];
    console.error = (...a: unknown[]) => logged.push(a);
    try {
      f.addDoneCallback(() => seen.push("a"));
      f.addDoneCallback(() => {
        throw new Error("callback failure");
      });
      f.addDoneCallback((x) => seen.push(`b:${x.done()}`));
      expect(seen).toEqual([]);
      f.setResult("v");
      expect(seen).toEqual(["a", "b:true"]);
      f.addDoneCallback(() => seen.push("late"));
      expect(seen).toEqual(["a", "b:true", "late"]);
      expect(logged).toHaveLength(1);
    } finally {
      console.error = error;
    }
  });

  it("result({ timeout }) rejects with TimeoutError and the future keeps going", async () => {
    const f = new Future<number>();
    await expect(f.result({ timeout: 10 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(f.exception({ timeout: 5 })).rejects.toBeInstanceOf(TimeoutError);
    setTimeout(() => f.setResult(9), 5);
    expect(await f.result({ timeout: 5000 })).toBe(9);
  });

  it("result({ signal }) stops waiting on abort", async () => {
    const f = new Future<number>();
    const ac = new AbortController();
    const p = f.result({ signal: ac.signal });
    ac.abort(new Error("stop waiting"));
    await expect(p).rejects.toThrow("stop waiting");
    expect(f.done()).toBe(false);
  });

  it("rejects a bad timeout", async () => {
    await expect(new Future().result({ timeout: -1 })).rejects.toBeInstanceOf(RangeError);
  });

  it("is a thenable usable with Promise combinators", async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    setTimeout(() => {
      a.setResult(1);
      b.setResult(2);
    }, 1);
    expect(await Promise.all([a, b])).toEqual([1, 2]);
    expect(String(Object.prototype.toString.call(a))).toContain("finished");
  });

  it("an unobserved failed future does not raise an unhandled rejection", async () => {
    const seen: unknown[] = [];
    const onUnhandled = (r: unknown) => seen.push(r);
    process.on("unhandledRejection", onUnhandled);
    try {
      new Future<number>().setException(new Error("nobody looks"));
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
