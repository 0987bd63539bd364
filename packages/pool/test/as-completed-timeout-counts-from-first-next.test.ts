import { asCompleted, Future, TimeoutError } from "@weft/pool";
import { describe, expect, it } from "vitest";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Python's as_completed() is a generator: its timeout counts from the first next(), not from the call
// (CPython computes the end time in the generator's body). An iterator made early and iterated later gets its
// whole timeout.
describe("asCompleted({ timeout })", () => {
  it("counts the timeout from the first next(), not from the call", async () => {
    const f = new Future<number>();
    const it = asCompleted([f], { timeout: 300 });
    await sleep(400); // past the timeout, counted from the call
    setTimeout(() => f.setResult(1), 100);
    const got: unknown[] = [];
    for await (const done of it) got.push(done); // (typed as the result; it is the Future)
    expect(got).toEqual([f]);
  });

  it("still times out once the timeout has passed after the first next()", async () => {
    const f = new Future<number>();
    const it = asCompleted([f], { timeout: 100 });
    await sleep(150);
    const started = performance.now();
    await expect(it.next()).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });
});
