import { describe, expect, it } from "vitest";
import { Lock, marshal, ReleaseError } from "../src/index.js";

/** A free Lock attached (as marshal.decode does) to memory whose latest hold ticket (word 5) is `ticket`. */
function lockAtTicket(ticket: number): { lock: Lock; i32: Int32Array } {
  const enc = marshal.encode(new Lock()) as { data: { buffer: SharedArrayBuffer } };
  const i32 = new Int32Array(enc.data.buffer);
  i32[5] = ticket;
  return { lock: marshal.decode(enc) as Lock, i32 };
}

// The hold ticket wraps after 2^30 acquisitions; every ticket, the highest and 0 included, must give a
// working guard. The tickets here are made up, not reached: an acquireSync that misreads such a word as held
// would block this thread for good (testTimeout cannot stop it), so each takes a timeout and says so.
const BOUND = { timeout: 5000 };

describe("Lock guards at every hold ticket, across the wrap", () => {
  // The next hold gets the highest ticket (2^30 - 1), or wraps to 0.
  it.each([0x3ffffffe, 0x3fffffff])("a guard of a hold after ticket %i releases once", (ticket) => {
    const { lock } = lockAtTicket(ticket);
    const g = lock.acquireSync(BOUND);
    if (!g) throw new Error(`acquireSync after ticket ${ticket} timed out: the free lock was read as held`);
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

  it.each([0x3ffffffd, 0x3ffffffe, 0x3fffffff])(
    "a guard taken contended after ticket %i releases once",
    async (ticket) => {
      const { lock, i32 } = lockAtTicket(ticket);
      const first = lock.acquireSync(BOUND);
      if (!first)
        throw new Error(`acquireSync after ticket ${ticket} timed out: the free lock was read as held`);
      const waiting = lock.acquire();
      await new Promise((r) => setTimeout(r, 20));
      first.release(); // the waiter takes it next
      const g = await waiting;
      if (!g) throw new Error("not acquired");
      expect(lock.locked()).toBe(true);
      g.release();
      expect(lock.locked()).toBe(false);
      expect(() => g.release()).toThrow(ReleaseError);
      expect(i32[4]).toBe(0); // free, no "waited on" mark left
    },
  );
});
