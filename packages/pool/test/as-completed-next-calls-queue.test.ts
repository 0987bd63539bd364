import { describe, expect, it } from "vitest";
import { asCompleted, Future } from "../src/index.js";

// The async-iterator protocol lets a caller ask for the next value before the previous one has settled (async
// generators queue such calls): each call of asCompleted's next() settles, in order, with the futures in the
// order they finished; return() ends the iteration at once, also for a next() still waiting.
const within = <T>(p: Promise<T>, ms = 1000): Promise<T | "still pending"> =>
  Promise.race([p, new Promise<"still pending">((r) => setTimeout(() => r("still pending"), ms))]);

describe("asCompleted's next() calls made before earlier ones settle", () => {
  it("two pending next() calls get the two futures in the order they finish", async () => {
    const a = new Future<string>();
    const b = new Future<string>();
    const it = asCompleted([a, b]);
    const first = it.next();
    const second = it.next();
    setTimeout(() => b.setResult("b"), 10);
    setTimeout(() => a.setResult("a"), 30);
    expect(await within(first)).toEqual({ value: b, done: false });
    expect(await within(second)).toEqual({ value: a, done: false });
    expect(await within(it.next())).toEqual({ value: undefined, done: true });
  });

  it("more calls than futures: the extra ones end the iteration", async () => {
    const a = new Future<number>();
    const it = asCompleted([a]);
    const calls = [it.next(), it.next(), it.next()];
    a.setResult(1);
    expect(await within(Promise.all(calls))).toEqual([
      { value: a, done: false },
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
  });

  it("return() ends a next() that is still waiting", async () => {
    const c = new Future<string>();
    const it = asCompleted([c]);
    const pending = it.next();
    expect(await it.return?.()).toEqual({ value: undefined, done: true });
    expect(await within(pending)).toEqual({ value: undefined, done: true });
    c.setResult("c");
    expect(await within(it.next())).toEqual({ value: undefined, done: true });
  });
});
