import { AbandonedLockError, Event, type Guard, Lock } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

// A daemon thread dies with the thread that started it. If it held a lock, the lock is abandoned like that of
// any thread that ends holding one: the next acquirer gets it with AbandonedLockError, rather than waiting for
// ever on a holder that no longer exists (the parent's event loop, which would have seen its exit, is gone).

const tasks = new URL("./fixtures/holding-descendants.mjs", import.meta.url);

describe("a daemon thread stopped because the thread that started it ended", () => {
  for (const [how, depth] of [
    ["returns", 1],
    ["throw", 1],
    ["exit", 1],
    ["returns", 2],
  ] as const) {
    it(`leaves its lock abandoned (parent ${how}, holder ${depth} level(s) below it)`, async () => {
      const lock = new Lock();
      const held = new Event();
      const parent = new Thread({
        target: { module: tasks, export: "startHolder" },
        args: [lock, held, how, depth],
      }).start();
      await parent.join().catch(() => {});
      expect(lock.locked()).toBe(true);
      const outcome = await lock.acquire({ timeout: 5000 }).then(
        (g) => (g === false ? "timed out: the dead holder still has it" : "taken without being told"),
        (e: unknown) => e,
      );
      expect(outcome).toBeInstanceOf(AbandonedLockError);
      ((outcome as AbandonedLockError).guard as Guard).release();
      expect(lock.locked()).toBe(false);
    }, 30_000);
  }
});
