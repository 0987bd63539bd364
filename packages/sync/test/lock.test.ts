import { describe, expect, it } from "vitest";
import { Guard, Lock, ReleaseError } from "../src/index.js";
import { sleep } from "./helpers.js";

describe("Lock", () => {
  it("acquires, reports locked, releases", async () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    const g = await lock.acquire();
    expect(g).toBeInstanceOf(Guard);
    expect(lock.locked()).toBe(true);
    (g as Guard).release();
    expect(lock.locked()).toBe(false);
  });

  it("returns a guard of its own for each acquisition", async () => {
    const lock = new Lock();
    const g1 = await lock.acquire();
    lock.release();
    const g2 = await lock.acquire();
    expect(g2).toBeInstanceOf(Guard);
    expect(g2).not.toBe(g1);
    lock.release();
  });

  it("tryAcquire succeeds only when free", () => {
    const lock = new Lock();
    const g = lock.tryAcquire();
    expect(g).toBeInstanceOf(Guard);
    expect(lock.tryAcquire()).toBe(false);
    (g as Guard).release();
    expect(lock.tryAcquire()).toBeInstanceOf(Guard);
  });

  it("releases through using and await using", async () => {
    const lock = new Lock();
    {
      using _g = lock.acquireSync() as Guard;
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    {
      await using _g = (await lock.acquire()) as Guard;
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
  });

  it("throws ReleaseError when released while unlocked", () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(ReleaseError);
    const g = lock.acquireSync() as Guard;
    g.release();
    expect(() => g.release()).toThrow(/already released/);
    expect(lock.locked()).toBe(false);
  });

  it("excludes concurrent async tasks that await inside the critical section", async () => {
    const lock = new Lock();
    let value = 0;
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 10; i++) {
          const g = (await lock.acquire()) as Guard;
          inside++;
          maxInside = Math.max(maxInside, inside);
          const v = value;
          await null;
          await sleep(0);
          value = v + 1;
          inside--;
          g.release();
        }
      }),
    );
    expect(value).toBe(200);
    expect(maxInside).toBe(1);
    expect(lock.locked()).toBe(false);
  });

  it("hands the lock to a waiter when released", async () => {
    const lock = new Lock();
    lock.acquireSync();
    const waiting = lock.acquire();
    let got = false;
    void waiting.then(() => {
      got = true;
    });
    await sleep(10);
    expect(got).toBe(false);
    lock.release();
    expect(await waiting).toBeInstanceOf(Guard);
    expect(lock.locked()).toBe(true);
    lock.release();
  });

  it("validates options", async () => {
    const lock = new Lock();
    await expect(lock.acquire({ timeout: -1 })).rejects.toThrow(RangeError);
    expect(() => lock.acquireSync({ timeout: Number.NaN })).toThrow(/timeout/);
    await expect(lock.acquire({ signal: {} as AbortSignal })).rejects.toThrow(/AbortSignal/);
    expect(() => new Lock({ memory: { buffer: new SharedArrayBuffer(8) } })).toThrow(/byteLength/);
    expect(() => new Lock({ memory: { buffer: new SharedArrayBuffer(64), byteOffset: 4 } })).toThrow(
      /multiple of 8/,
    );
  });

  it("can live in caller-provided memory", () => {
    const buffer = new SharedArrayBuffer(Lock.byteLength * 2);
    const a = new Lock({ memory: { buffer } });
    const b = new Lock({ memory: { buffer, byteOffset: Lock.byteLength } });
    a.acquireSync();
    expect(a.locked()).toBe(true);
    expect(b.locked()).toBe(false);
    a.release();
  });
});
