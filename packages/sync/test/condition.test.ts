import { describe, expect, it } from "vitest";
import { Condition, type Guard, Lock, NotOwnerError, RLock } from "../src/index.js";
import { sleep } from "./helpers.js";

describe("Condition", () => {
  it("hands items from producers to consumers with waitFor (Lock, one event loop)", async () => {
    const cond = new Condition(new Lock());
    const items: number[] = [];
    const got: number[] = [];
    const consumer = async () => {
      for (let i = 0; i < 10; i++) {
        await using _ = (await cond.acquire()) as Guard;
        await cond.waitFor(() => items.length > 0);
        got.push(items.shift()!);
      }
    };
    const producer = async () => {
      for (let i = 0; i < 20; i++) {
        await sleep(0);
        using _ = cond.acquireSync() as Guard;
        items.push(i);
        cond.notify();
      }
    };
    await Promise.all([consumer(), consumer(), producer()]);
    expect(got.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(cond.lock.locked()).toBe(false);
  });

  it("wait returns false on timeout and holds the lock again", async () => {
    const cond = new Condition(new Lock());
    await cond.acquire();
    expect(await cond.wait({ timeout: 10 })).toBe(false);
    expect(cond.lock.locked()).toBe(true);
    expect(cond.waitSync({ timeout: 5 })).toBe(false);
    expect(await cond.waitFor(() => 0, { timeout: 10 })).toBe(0);
    cond.release();
  });

  it("an aborted wait re-acquires the lock before rejecting", async () => {
    const cond = new Condition(new Lock());
    await cond.acquire();
    const ac = new AbortController();
    const p = cond.wait({ signal: ac.signal });
    expect(cond.lock.locked()).toBe(false);
    const blocker = (await cond.acquire()) as Guard;
    ac.abort(new Error("stop"));
    await sleep(5);
    let settled = false;
    p.catch(() => {
      settled = true;
    });
    await sleep(5);
    expect(settled).toBe(false); // still waiting for the lock
    blocker.release();
    await expect(p).rejects.toThrow("stop");
    expect(cond.lock.locked()).toBe(true);
    cond.release();
  });

  it("notifyAll wakes every waiter; RLock depth is restored after wait", async () => {
    const r = new RLock();
    const cond = new Condition(r);
    r.acquireSync();
    r.acquireSync();
    const w = cond.wait({ timeout: 20 });
    expect(r.locked()).toBe(false);
    expect(await w).toBe(false);
    expect(r.isOwned()).toBe(true);
    r.release();
    expect(r.isOwned()).toBe(true);
    r.release();
    expect(r.locked()).toBe(false);

    const c2 = new Condition(new Lock());
    let woken = 0;
    const waiters = Array.from({ length: 3 }, async () => {
      await c2.acquire();
      if (await c2.wait({ timeout: 5000 })) woken++;
      c2.release();
    });
    await sleep(10);
    c2.acquireSync();
    c2.notifyAll();
    c2.release();
    await Promise.all(waiters);
    expect(woken).toBe(3);
  });

  it("requires the lock for wait and notify", async () => {
    const cond = new Condition(new Lock());
    expect(() => cond.notify()).toThrow(NotOwnerError);
    await expect(cond.wait()).rejects.toThrow(/acquire the condition's lock first/);
    expect(() => cond.waitSync()).toThrow(NotOwnerError);
    expect(() => new Condition({} as Lock)).toThrow(TypeError);
    const def = new Condition();
    expect(def.lock).toBeInstanceOf(RLock);
  });
});
