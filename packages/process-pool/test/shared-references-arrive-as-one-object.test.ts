import { ProcessPoolExecutor } from "@weft/process-pool";
import { Event, Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

const native = await loadNative();

// As with structured clone and Python's pickle, every reference to one object within one message (a task's
// arguments, its result, one chunk of map items) reaches the other process as one object.
describe("references shared within one message to or from a child process", () => {
  it("a plain object passed twice is one object in the child", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    const shared = { k: 1 };
    expect(await pool.submit((o: { p: object; q: object }) => o.p === o.q, { p: shared, q: shared })).toBe(
      true,
    );
  }, 60_000);

  describe.skipIf(native === undefined)("primitives in @weft/native shared memory", () => {
    it("a primitive passed twice, and a container holding one, arrive as one object", async () => {
      const { SharedMemory } = native!;
      using shm = SharedMemory.create(4096);
      const l = new Lock(shm.place(Lock));
      const e = new Event(shm.place(Event));
      const shared = { k: 1 };
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
      expect(
        await pool.submit(
          (a: Lock, b: Lock, o: { x: Lock; y: Lock }) => [a === b, o.x === o.y, o.x === a],
          l,
          l,
          { x: l, y: l },
        ),
      ).toEqual([true, true, true]);
      expect(await pool.submit((o: { p: Event; q: Event }) => o.p === o.q, { p: e, q: e })).toBe(true);
      expect(
        await pool.submit(
          (o: { p: [Lock, object]; q: [Lock, object] }) => [
            o.p === o.q,
            o.p[0] === o.q[0],
            o.p[1] === o.q[1],
          ],
          { p: [l, shared], q: [l, shared] },
        ),
      ).toEqual([false, true, true]);
      const holder = { l, e };
      expect(await pool.submit((a: object, b: object) => a === b, holder, holder)).toBe(true);
    }, 60_000);

    it("a result that holds a primitive twice gives the parent one object", async () => {
      const { SharedMemory } = native!;
      using shm = SharedMemory.create(4096);
      const l = new Lock(shm.place(Lock));
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
      const back = await pool.submit((a: Lock) => [a, { again: a }] as const, l);
      expect(back[0]).toBeInstanceOf(Lock);
      expect(back[1].again).toBe(back[0]);
      const seen: Lock[] = [];
      for await (const v of pool.mapWith({ chunksize: 3 }, (o: { l: Lock }) => o.l, [{ l }, { l }, { l }])) {
        seen.push(v);
      }
      expect(seen).toHaveLength(3);
      for (const v of seen) expect(v).toBe(seen[0]);
    }, 60_000);
  });
});
