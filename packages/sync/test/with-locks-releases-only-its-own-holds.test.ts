import { type Guard, Lock, ReleaseError, RLock, withLock, withLocks } from "@weft/sync";
import { describe, expect, it } from "vitest";

// withLocks/withLock release the acquisitions they made, through their guards: if `fn` released one of the
// locks itself and someone else has taken it since, that other holder keeps it, and the misuse is reported
// (ReleaseError) instead of silently releasing someone else's hold.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("withLocks when fn released a lock itself", () => {
  for (const [name, run] of [
    ["withLocks", (a: Lock, b: Lock, fn: () => Promise<string>) => withLocks([a, b], fn)],
    ["withLock", (a: Lock, _b: Lock, fn: () => Promise<string>) => withLock(a, fn)],
  ] as const) {
    it(`${name}: another task that took it since keeps it; the call rejects with ReleaseError`, async () => {
      const a = new Lock();
      const b = new Lock();
      const call = run(a, b, async () => {
        a.release();
        await sleep(30);
        return "done";
      });
      await sleep(5);
      const other = (await a.acquire({ timeout: 1000 })) as Guard;
      expect(other).not.toBe(false);
      await expect(call).rejects.toBeInstanceOf(ReleaseError);
      expect(a.locked()).toBe(true); // still the other task's
      expect(b.locked()).toBe(false); // what withLocks still held was released
      other.release();
      expect(a.locked()).toBe(false);
    });

    it(`${name}: a lock it released and nobody took is not released twice`, async () => {
      const a = new Lock();
      const b = new Lock();
      const call = run(a, b, async () => {
        a.release();
        return "done";
      });
      await expect(call).rejects.toBeInstanceOf(ReleaseError);
      expect(a.locked()).toBe(false);
      expect(b.locked()).toBe(false);
    });
  }

  it("an RLock taken again inside fn is released once by withLocks, leaving fn's own hold", async () => {
    const r = new RLock();
    let inner: Guard | undefined;
    await withLocks([r], async () => {
      inner = r.acquireSync() as Guard; // depth 2
    });
    expect(r.locked()).toBe(true); // fn's own acquisition is still held
    inner!.release();
    expect(r.locked()).toBe(false);
  });
});
