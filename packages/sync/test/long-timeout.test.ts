import { describe, expect, it } from "vitest";
import { Barrier, Condition, Event, InvalidTimeoutError, Lock, RLock, Semaphore } from "../src/index.js";
import { sleep } from "./helpers.js";

const LONG = 2 ** 31 + 5; // beyond setTimeout's range: Node would fire such a timer after ~1 ms

describe("wait timeouts", () => {
  it("Event.wait with a timeout above 2^31 - 1 ms does not return early; set() resolves it true", async () => {
    const e = new Event();
    let settled: boolean | undefined;
    const p = e.wait({ timeout: LONG }).then((v) => {
      settled = v;
      return v;
    });
    await sleep(200);
    expect(settled).toBeUndefined();
    e.set();
    expect(await p).toBe(true);
  });

  it("Lock.acquire and Semaphore.acquire with such a timeout wait for the release", async () => {
    const lock = new Lock();
    const s = new Semaphore(0);
    const held = lock.acquireSync();
    let lockDone = false;
    let semDone = false;
    const pl = lock.acquire({ timeout: LONG }).then((g) => {
      lockDone = true;
      return g;
    });
    const ps = s.acquire({ timeout: LONG }).then((g) => {
      semDone = true;
      return g;
    });
    await sleep(200);
    expect([lockDone, semDone]).toEqual([false, false]);
    (held as { release(): void }).release();
    s.release();
    const [gl, gs] = await Promise.all([pl, ps]);
    expect(gl).toBeTruthy();
    expect(gs).toBeTruthy();
    (gl as { release(): void }).release();
    (gs as { release(): void }).release();
  });

  it("Condition.wait with such a timeout waits for notify", async () => {
    const c = new Condition(new Lock());
    const g = (await c.acquire()) as { release(): void };
    let done = false;
    const p = c.wait({ timeout: LONG }).then((v) => {
      done = true;
      return v;
    });
    await sleep(200);
    expect(done).toBe(false);
    c.acquireSync();
    c.notify();
    c.release();
    expect(await p).toBe(true);
    g.release();
  });

  it("Infinity means no limit", async () => {
    const e = new Event();
    const p = e.wait({ timeout: Number.POSITIVE_INFINITY });
    await sleep(50);
    e.set();
    expect(await p).toBe(true);
  });

  for (const bad of [-1, Number.NaN, "5", null, {}, -Infinity]) {
    it(`timeout ${String(bad === null ? "null" : typeof bad === "object" ? "{}" : bad)} is InvalidTimeoutError (rejected, or thrown by ...Sync)`, async () => {
      const opts = { timeout: bad as number };
      const e = new Event();
      const lock = new Lock();
      const r = new RLock();
      const s = new Semaphore(0);
      const c = new Condition(new Lock());
      const b = new Barrier(2);
      for (const p of [e.wait(opts), lock.acquire(opts), r.acquire(opts), s.acquire(opts), b.wait(opts)]) {
        await expect(p).rejects.toThrow(InvalidTimeoutError);
      }
      for (const f of [() => e.waitSync(opts), () => lock.acquireSync(opts), () => s.acquireSync(opts)]) {
        expect(f).toThrow(InvalidTimeoutError);
      }
      c.acquireSync();
      await expect(c.wait(opts)).rejects.toThrow(InvalidTimeoutError);
      await expect(c.waitFor(() => false, opts)).rejects.toThrow(InvalidTimeoutError);
      c.release();
      expect(() => new Barrier(2, { timeout: bad as number })).toThrow(InvalidTimeoutError);
      expect(lock.locked()).toBe(false);
      expect(b.broken).toBe(false);
    });
  }
});
