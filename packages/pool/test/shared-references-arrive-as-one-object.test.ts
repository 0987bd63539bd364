import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { Condition, Event, Lock, Semaphore } from "@weft/sync";
import { describe, expect, it } from "vitest";

// Structured clone (and Python's pickle) deliver every reference to one object, within one message, as one
// object. A task's arguments, its result, and one chunk of map items are each one message.
describe("references shared within a task's arguments or result arrive as one object", () => {
  it("a primitive passed twice, directly or inside objects, is one object in the task", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const l = new Lock();
    expect(
      await pool.submit(
        (a: Lock, b: Lock, o: { x: Lock; y: Lock }) => [a === b, o.x === o.y, o.x === a],
        l,
        l,
        { x: l, y: l },
      ),
    ).toEqual([true, true, true]);
    const e = new Event();
    expect(await pool.submit((o: { p: Event; q: Event }) => o.p === o.q, { p: e, q: e })).toBe(true);
  });

  it("a plain object is shared alike, whether or not the arguments also carry a primitive", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const shared = { k: 1 };
    const l = new Lock();
    expect(await pool.submit((o: { p: object; q: object }) => o.p === o.q, { p: shared, q: shared })).toBe(
      true,
    );
    expect(
      await pool.submit(
        (o: { p: [Lock, object]; q: [Lock, object] }) => [o.p === o.q, o.p[0] === o.q[0], o.p[1] === o.q[1]],
        { p: [l, shared], q: [l, shared] },
      ),
    ).toEqual([false, true, true]);
    const holder = { l, shared };
    expect(
      await pool.submit(
        (a: object, b: object, c: Lock) => [a === b, (a as { l: Lock }).l === c],
        holder,
        holder,
        l,
      ),
    ).toEqual([true, true]);
  });

  it("a Condition's lock is the Lock passed beside it", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const lock = new Lock();
    const cond = new Condition(lock);
    expect(await pool.submit((c: Condition, l: Lock) => c.lock === l, cond, lock)).toBe(true);
  });

  it("a result that returns a primitive twice gives the caller one object", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const l = new Lock();
    const back = await pool.submit((a: Lock) => [a, { again: a }] as const, l);
    expect(back[0]).toBeInstanceOf(Lock);
    expect(back[1].again).toBe(back[0]);
    const made = await pool.submit(
      moduleTask<() => { s: Semaphore; list: Semaphore[] }>(
        new URL("./fixtures/shared-references.mjs", import.meta.url),
        "semaphoreThreeTimes",
      ),
    );
    expect(made.s).toBeInstanceOf(Semaphore);
    expect(made.list[0]).toBe(made.s);
    expect(made.list[1]).toBe(made.s);
  });

  it("the items of one map chunk share, and so does a chunk's result", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const l = new Lock();
    const items = [{ l }, { l }, { l }, { l }];
    const seen: Lock[] = [];
    for await (const v of pool.mapWith({ chunksize: 4 }, (o: { l: Lock }) => o.l, items)) seen.push(v);
    expect(seen).toHaveLength(4);
    for (const v of seen) expect(v).toBe(seen[0]);
  });
});
