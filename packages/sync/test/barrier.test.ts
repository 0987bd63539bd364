import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError, MarshalError, marshal } from "../src/index.js";
import { sleep } from "./helpers.js";

describe("Barrier", () => {
  it("releases each generation together with distinct indexes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (parties, gens) => {
          let actions = 0;
          const b = new Barrier(parties, { action: () => actions++ });
          const phase = new Array<number>(parties).fill(0);
          for (let g = 0; g < gens; g++) {
            const idx = await Promise.all(
              Array.from({ length: parties }, async (_, p) => {
                await sleep(0);
                phase[p] = g;
                const i = await b.wait();
                expect(phase.every((x) => x === g)).toBe(true);
                return i;
              }),
            );
            expect([...idx].sort()).toEqual(Array.from({ length: parties }, (_, i) => i));
          }
          expect(actions).toBe(gens);
          expect(b.nWaiting).toBe(0);
          expect(b.broken).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a timeout breaks the barrier for everyone (Python semantics)", async () => {
    const b = new Barrier(3);
    const other = b.wait();
    await expect(b.wait({ timeout: 10 })).rejects.toBeInstanceOf(BrokenBarrierError);
    await expect(other).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(b.broken).toBe(true);
    await expect(b.wait()).rejects.toThrow(/reset/);
    b.reset();
    expect(b.broken).toBe(false);
    const b1 = new Barrier(1, { timeout: 5 });
    expect(b1.waitSync()).toBe(0);
  });

  it("abort(), reset() and an aborted signal break waiting parties", async () => {
    const b = new Barrier(2);
    const w1 = b.wait();
    await sleep(5);
    expect(b.nWaiting).toBe(1);
    b.abort();
    await expect(w1).rejects.toBeInstanceOf(BrokenBarrierError);
    b.reset();
    const w2 = b.wait();
    await sleep(5);
    b.reset();
    await expect(w2).rejects.toBeInstanceOf(BrokenBarrierError);
    await sleep(5);
    expect(b.broken).toBe(false);
    const ac = new AbortController();
    const w3 = b.wait({ signal: ac.signal });
    ac.abort("gone");
    await expect(w3).rejects.toBe("gone");
    expect(b.broken).toBe(true);
  });

  it("a throwing action breaks the barrier and reaches the last party", async () => {
    const b = new Barrier(2, {
      action: () => {
        throw new Error("action failed");
      },
    });
    const first = b.wait();
    await expect(b.wait()).rejects.toThrow("action failed");
    await expect(first).rejects.toBeInstanceOf(BrokenBarrierError);
  });

  it("cannot cross threads with an action; can without", () => {
    expect(() => marshal.encode([new Barrier(2, { action() {} })])).toThrow(MarshalError);
    const back = marshal.decode<Barrier>(marshal.encode(new Barrier(4, { timeout: 100 })));
    expect(back.parties).toBe(4);
    expect(() => new Barrier(0)).toThrow(RangeError);
  });
});
