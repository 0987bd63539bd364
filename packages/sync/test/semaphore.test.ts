import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Guard, ReleaseError, Semaphore } from "../src/index.js";
import { sleep } from "./helpers.js";

describe("Semaphore", () => {
  it("bounds concurrency to its value", async () => {
    const sem = new Semaphore(3);
    let inside = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await using _ = (await sem.acquire()) as Guard;
        inside++;
        max = Math.max(max, inside);
        await sleep(1);
        inside--;
      }),
    );
    expect(max).toBe(3);
    expect(sem.value).toBe(3);
  });

  it("keeps count = initial - acquired + released for any sequence (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.oneof(fc.constant("acquire" as const), fc.integer({ min: 1, max: 3 })), {
          maxLength: 40,
        }),
        (initial, ops) => {
          const sem = new Semaphore(initial);
          const bounded = new BoundedSemaphore(initial);
          let model = 0;
          let held = 0;
          for (const op of ops) {
            if (op === "acquire") {
              const free = initial + model > 0;
              expect(sem.tryAcquire() !== false).toBe(free);
              if (free) model--;
              const boundedFree = initial - held > 0;
              expect(bounded.tryAcquire() !== false).toBe(boundedFree);
              if (boundedFree) held++;
            } else {
              sem.release(op);
              model += op;
              if (op <= held) {
                bounded.release(op);
                held -= op;
              } else {
                expect(() => bounded.release(op)).toThrow(ReleaseError);
              }
            }
            expect(sem.value).toBe(initial + model);
            expect(bounded.value).toBe(initial - held);
          }
        },
      ),
    );
  });

  it("times out with false and aborts with the reason", async () => {
    const sem = new Semaphore(0);
    expect(await sem.acquire({ timeout: 10 })).toBe(false);
    expect(sem.acquireSync({ timeout: 5 })).toBe(false);
    const ac = new AbortController();
    const p = sem.acquire({ signal: ac.signal });
    ac.abort("stop");
    await expect(p).rejects.toBe("stop");
    sem.release();
    expect(sem.value).toBe(1);
    expect(await sem.acquire()).toBeInstanceOf(Guard);
  });

  it("wakes waiters on release(n)", async () => {
    const sem = new Semaphore(0);
    const waits = [sem.acquire(), sem.acquire(), sem.acquire()];
    await sleep(5);
    sem.release(3);
    expect((await Promise.all(waits)).every((g) => g instanceof Guard)).toBe(true);
    expect(sem.value).toBe(0);
  });

  it("rejects bad values", () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(/integer/);
    expect(() => new Semaphore(1).release(0)).toThrow(RangeError);
    const b = new BoundedSemaphore(2);
    expect(() => b.release()).toThrow(/released too many times/);
    expect(b.value).toBe(2);
    const z = new BoundedSemaphore(0);
    expect(() => z.release()).toThrow(ReleaseError);
  });
});
