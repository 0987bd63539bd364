import { describe, expect, it } from "vitest";
import { Lock, marshal, ReleaseError } from "../src/index.js";

/** A Lock attached (as marshal.decode does) to a word whose value is `word` (state word index 4). */
function lockAtWord(word: number): { lock: Lock; i32: Int32Array } {
  const enc = marshal.encode(new Lock()) as { data: { buffer: SharedArrayBuffer } };
  const i32 = new Int32Array(enc.data.buffer);
  i32[4] = word;
  return { lock: marshal.decode(enc) as Lock, i32 };
}

// The hold ticket wraps after 2^30 acquisitions; every ticket, the highest included, must give a working guard.
describe("Lock guards at every hold ticket, across the wrap", () => {
  // -8 and -4: free, ticket bits all ones but the last / all ones (either may be the one a hold gets).
  it.each([-8, -4])("a guard of a hold at the top of the ticket range (word %i) releases once", (word) => {
    const { lock } = lockAtWord(word);
    const g = lock.acquireSync();
    if (!g) throw new Error("not acquired");
    g.release();
    expect(lock.locked()).toBe(false);
    expect(() => g.release()).toThrow(ReleaseError);
    const h = lock.tryAcquire();
    expect(h).not.toBe(false);
    expect(() => g.release()).toThrow(ReleaseError);
    expect(lock.locked()).toBe(true);
    if (h) h.release();
    expect(lock.locked()).toBe(false);
  });

  it.each([-8, -4])(
    "a guard taken contended at the top of the range (word %i) releases once",
    async (word) => {
      const { lock, i32 } = lockAtWord(word);
      const first = lock.acquireSync();
      if (!first) throw new Error("not acquired");
      const waiting = lock.acquire();
      await new Promise((r) => setTimeout(r, 20));
      first.release(); // the waiter takes it next
      const g = await waiting;
      if (!g) throw new Error("not acquired");
      expect(lock.locked()).toBe(true);
      g.release();
      expect(lock.locked()).toBe(false);
      expect(() => g.release()).toThrow(ReleaseError);
      expect(i32[4]! & 3).toBe(0);
    },
  );
});
