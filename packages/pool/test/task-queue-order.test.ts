import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskQueue } from "../src/task-queue.js";

// The executor's FIFO is a ring that grows by doubling: check it against a plain array under any mix of
// operations, across growth and wrap-around.
describe("TaskQueue", () => {
  it("behaves like an array used as a FIFO with put-back at the front", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant("unshift" as const), n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant("shift" as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.constant({ kind: "drain" as const, n: 0 }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const q = new TaskQueue<number>();
        const model: number[] = [];
        let next = 0;
        for (const { kind, n } of ops) {
          if (kind === "push") {
            for (let i = 0; i < n; i++, next++) {
              q.push(next);
              model.push(next);
            }
          } else if (kind === "unshift") {
            for (let i = 0; i < n; i++, next++) {
              q.unshift(next);
              model.unshift(next);
            }
          } else if (kind === "shift") {
            for (let i = 0; i < n; i++) expect(q.shift()).toBe(model.shift());
          } else {
            expect(q.drain()).toEqual(model.splice(0));
          }
          expect(q.length).toBe(model.length);
        }
        expect(q.drain()).toEqual(model);
        expect(q.shift()).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("keeps its order across a burst that grows it and the shrink once it empties", () => {
    const q = new TaskQueue<number>();
    for (let round = 0; round < 3; round++) {
      q.unshift(-1);
      for (let i = 0; i < 10_000; i++) q.push(i);
      expect(q.length).toBe(10_001);
      expect(q.shift()).toBe(-1);
      for (let i = 0; i < 10_000; i++) expect(q.shift()).toBe(i);
      expect(q.length).toBe(0);
      expect(q.shift()).toBeUndefined();
      q.push(7);
      q.unshift(6);
      expect(q.drain()).toEqual([6, 7]);
    }
  });
});
