import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  type Guard,
  Lock,
  RLock,
  Semaphore,
} from "../src/index.js";

// Python's reprs, without addresses: util.inspect (console.log) and toString() print the same thing.
const shown = (v: { toString(): string }): [string, string] => [inspect(v), String(v)];

describe("readable inspect and toString, as Python's reprs", () => {
  it("Lock <locked> / <unlocked>", () => {
    const lock = new Lock();
    expect(shown(lock)).toEqual(["Lock <unlocked>", "Lock <unlocked>"]);
    const g = lock.acquireSync() as Guard;
    expect(shown(lock)).toEqual(["Lock <locked>", "Lock <locked>"]);
    expect(inspect(g)).toBe("Guard <held>");
    g.release();
    expect(inspect(g)).toBe("Guard <released>");
  });

  it("RLock <unlocked, count=0> / <locked, count=n>", () => {
    const r = new RLock();
    expect(shown(r)).toEqual(["RLock <unlocked, count=0>", "RLock <unlocked, count=0>"]);
    r.acquireSync();
    r.acquireSync();
    expect(inspect(r)).toBe("RLock <locked, count=2>");
    r.release();
    r.release();
    expect(String(r)).toBe("RLock <unlocked, count=0>");
  });

  it("Semaphore <value=n> and BoundedSemaphore <value=n/bound>", () => {
    const s = new Semaphore(2);
    expect(shown(s)).toEqual(["Semaphore <value=2>", "Semaphore <value=2>"]);
    s.acquireSync();
    expect(inspect(s)).toBe("Semaphore <value=1>");
    const b = new BoundedSemaphore(3);
    b.acquireSync();
    expect(shown(b)).toEqual(["BoundedSemaphore <value=2/3>", "BoundedSemaphore <value=2/3>"]);
  });

  it("Event <set> / <unset>", () => {
    const e = new Event();
    expect(shown(e)).toEqual(["Event <unset>", "Event <unset>"]);
    e.set();
    expect(shown(e)).toEqual(["Event <set>", "Event <set>"]);
  });

  it("Condition <its lock, waiters=n>", async () => {
    const c = new Condition(new Lock());
    expect(shown(c)).toEqual([
      "Condition <Lock <unlocked>, waiters=0>",
      "Condition <Lock <unlocked>, waiters=0>",
    ]);
    const g = (await c.acquire()) as Guard;
    const waiting = c.wait({ timeout: 5000 });
    expect(inspect(c)).toBe("Condition <Lock <unlocked>, waiters=1>");
    c.acquireSync();
    c.notify();
    c.release();
    expect(await waiting).toBe(true);
    expect(inspect(c)).toBe("Condition <Lock <locked>, waiters=0>");
    g.release();
    expect(String(new Condition())).toBe("Condition <RLock <unlocked, count=0>, waiters=0>");
  });

  it("Barrier <waiters=n/parties> / <broken>", async () => {
    const b = new Barrier(3);
    expect(shown(b)).toEqual(["Barrier <waiters=0/3>", "Barrier <waiters=0/3>"]);
    const w1 = b.wait();
    const w2 = b.wait();
    expect(inspect(b)).toBe("Barrier <waiters=2/3>");
    b.abort();
    await expect(w1).rejects.toThrow();
    await expect(w2).rejects.toThrow();
    expect(shown(b)).toEqual(["Barrier <broken>", "Barrier <broken>"]);
  });

  it("prints no internal fields, also nested in objects", () => {
    const text = inspect({ lock: new Lock(), ready: new Event() });
    expect(text).toBe("{ lock: Lock <unlocked>, ready: Event <unset> }");
    expect(text).not.toMatch(/buffer|i32|Symbol|SharedArrayBuffer/);
  });
});
