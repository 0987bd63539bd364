import { AbandonedLockError, type Guard, Lock, RLock, Semaphore } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

// Issue 17: a Thread that ends (returns, calls process.exit, or throws) while holding a primitive leaves it
// abandoned, not taken forever: the next acquirer gets it and is told.

const targets = {
  returns: (l: Lock | RLock | Semaphore) => {
    l.acquireSync();
  },
  "calls process.exit": (l: Lock | RLock | Semaphore) => {
    l.acquireSync();
    process.exit(0);
  },
  throws: (l: Lock | RLock | Semaphore) => {
    l.acquireSync();
    throw new Error("died holding it");
  },
};

describe("a Thread that ends holding a primitive", () => {
  for (const make of [() => new Lock(), () => new RLock(), () => new Semaphore(1)]) {
    for (const [how, target] of Object.entries(targets)) {
      it(`${make().constructor.name}: the thread ${how}; the next acquirer is told it was abandoned`, async () => {
        const prim = make();
        const t = new Thread({ target, args: [prim] }).start();
        await t.join().catch(() => {});
        expect(t.isAlive).toBe(false);
        const e = await prim.acquire({ timeout: 5000 }).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(AbandonedLockError);
        const g = (e as AbandonedLockError).guard as Guard;
        g.release();
        const again = (await prim.acquire({ timeout: 1000 })) as Guard;
        expect(again).toBeTruthy();
        again.release();
      }, 20_000);
    }
  }
});
