import { asCompleted, Future, TimeoutError } from "@weft/pool";
import { describe, expect, it } from "vitest";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Python's as_completed() yields the futures done at its first step, then, while some remain, checks its
// deadline, waits, and yields what that wait collected as one batch. So a consumer that is still busy when the
// deadline passes gets TimeoutError even if more futures finished meanwhile, but never in the middle of a batch.
describe("asCompleted({ timeout }) checks its deadline between batches, as Python does", () => {
  it("yields every future done at the first next(), however slow the consumer", async () => {
    const done = [1, 2, 3].map((v) => {
      const f = new Future<number>();
      f.setResult(v);
      return f;
    });
    const got: unknown[] = [];
    for await (const f of asCompleted(done, { timeout: 30 })) {
      got.push(f);
      await sleep(50);
    }
    expect(got).toEqual(done);
  });

  it("throws TimeoutError past the deadline, even for a future that finished while the consumer was busy", async () => {
    const first = new Future<number>();
    first.setResult(1);
    const second = new Future<number>();
    const it = asCompleted([first, second], { timeout: 100 });
    expect((await it.next()).value).toBe(first);
    setTimeout(() => second.setResult(2), 20);
    await sleep(200); // busy past the deadline; `second` finished meanwhile
    expect(second.done()).toBe(true);
    const error = await it.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/^asCompleted: 1 \(of 2\) futures unfinished after 100 ms/);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("yields a batch that one wait collected whole, even past the deadline", async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    setTimeout(() => {
      a.setResult(1);
      b.setResult(2);
    }, 20);
    const got: unknown[] = [];
    for await (const f of asCompleted([a, b], { timeout: 100 })) {
      got.push(f);
      await sleep(150);
    }
    expect(got).toEqual([a, b]);
  });

  it("yields futures that finish before the deadline as they come", async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    setTimeout(() => a.setResult(1), 10);
    setTimeout(() => b.setResult(2), 40);
    const got: unknown[] = [];
    for await (const f of asCompleted([a, b], { timeout: 1000 })) got.push(f);
    expect(got).toEqual([a, b]);
  });
});
