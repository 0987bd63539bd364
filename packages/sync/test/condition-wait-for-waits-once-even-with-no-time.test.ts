import { Condition, Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";

// Python's Condition.wait_for(predicate, timeout) waits at least once when the predicate is false, whatever
// the timeout (0 included): it releases the lock, gives the others their chance, re-acquires it and asks the
// predicate again. So a predicate made true by someone who was waiting for the lock is seen.
describe("Condition.waitFor with a timeout of 0", () => {
  it("releases the lock once and asks the predicate again (async)", async () => {
    // Over a Lock: an RLock belongs to the thread, so a second acquirer in this event loop would re-enter it.
    const cond = new Condition(new Lock());
    await cond.acquire();
    let ready = false;
    let calls = 0;
    const other = cond.acquire().then(() => {
      ready = true;
      cond.notify();
      cond.release();
    });
    const result = await cond.waitFor(
      () => {
        calls++;
        return ready;
      },
      { timeout: 0 },
    );
    expect(calls).toBe(2);
    expect(cond.locked()).toBe(true); // held again on return
    cond.release();
    await other;
    expect(ready).toBe(true);
    expect(typeof result).toBe("boolean"); // true if the other acquirer got the lock before the re-acquire
  });

  it("asks the predicate twice when blocking too (waitForSync)", () => {
    const cond = new Condition();
    cond.acquireSync();
    let calls = 0;
    const result = cond.waitForSync(
      () => {
        calls++;
        return false;
      },
      { timeout: 0 },
    );
    expect(result).toBe(false);
    expect(calls).toBe(2);
    expect(cond.locked()).toBe(true);
    cond.release();
  });

  it("does not ask again once the predicate holds", async () => {
    const cond = new Condition();
    await cond.acquire();
    let calls = 0;
    expect(await cond.waitFor(() => ++calls, { timeout: 0 })).toBe(1);
    expect(calls).toBe(1);
    cond.release();
  });
});
