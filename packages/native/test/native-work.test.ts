import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fnv1a64,
  InvalidStateError,
  NativeFuture,
  nativeJobStats,
  runNative,
  runNativeSync,
  sha256,
} from "../src/index.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const nodeSha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function fnvReference(bytes: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

describe("native kernels", () => {
  it("sha256 matches node:crypto for every length around the padding boundaries", async () => {
    const data = randomBytes(200);
    for (let n = 0; n <= 200; n++) {
      const slice = data.subarray(0, n);
      expect(hex(await sha256(slice))).toBe(nodeSha(slice));
    }
    expect(hex(await sha256(new TextEncoder().encode("abc")))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("sha256 and fnv1a64 agree with references on arbitrary input (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        expect(hex(await sha256(bytes))).toBe(nodeSha(bytes));
        expect(await fnv1a64(bytes)).toBe(fnvReference(bytes));
        expect(hex(runNativeSync("sha256", bytes))).toBe(nodeSha(bytes));
      }),
      { numRuns: 60 },
    );
  });

  it("accepts ArrayBuffer, SharedArrayBuffer, DataView and typed-array views with offsets", async () => {
    const sab = new SharedArrayBuffer(1000);
    new Uint8Array(sab).set(randomBytes(1000));
    const copy = new Uint8Array(sab).slice();
    expect(hex(await sha256(sab))).toBe(nodeSha(copy));
    expect(hex(await sha256(copy.buffer))).toBe(nodeSha(copy));
    expect(hex(await sha256(new DataView(sab, 10, 100)))).toBe(nodeSha(copy.subarray(10, 110)));
    expect(hex(await runNative("sha256", new Uint32Array(sab, 8, 4)))).toBe(nodeSha(copy.subarray(8, 24)));
    expect(await fnv1a64(new Uint8Array(0))).toBe(14695981039346656037n);
  });

  it("rejects bad input and unknown kernels with a TypeError naming the problem", () => {
    expect(() => sha256("abc" as unknown as Uint8Array)).toThrow(/data is string/);
    expect(() => sha256(null as unknown as Uint8Array)).toThrow(/data is null/);
    expect(() => runNative("md5" as "sha256", new Uint8Array(1))).toThrow(/unknown kernel md5/);
  });

  it("a NativeFuture reports done/result/exception/timing", async () => {
    const f = sha256(new Uint8Array(1 << 20));
    expect(f).toBeInstanceOf(NativeFuture);
    if (!f.done()) {
      expect(() => f.result()).toThrow(InvalidStateError);
      expect(() => f.exception()).toThrow(InvalidStateError);
    }
    const digest = await f;
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(digest);
    expect(f.exception()).toBeUndefined();
    const t = f.timing!;
    expect(t.queuedAt <= t.startedAt && t.startedAt <= t.finishedAt).toBe(true);
    expect(t.thread).not.toBe(process.pid); // a pool thread, not the main thread
    expect(await f.then((d) => d.length)).toBe(32);
  });

  it("two hashes run on two pool threads at once while the event loop keeps ticking", async () => {
    // Big enough that each hash takes many milliseconds, so the overlap is not a scheduling accident.
    const a = randomBytes(24 << 20);
    const b = randomBytes(24 << 20);
    nativeJobStats(true);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const fa = sha256(a);
    const fb = sha256(b);
    let ticksWhileBothRan = 0;
    const both = Promise.all([fa, fb]);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!fa.done() && !fb.done()) ticksWhileBothRan = ticks;
        if (fa.done() && fb.done()) {
          clearInterval(poll);
          resolve();
        }
      }, 1);
    });
    clearInterval(timer);
    const [da, db] = await both;
    expect(hex(da)).toBe(nodeSha(a));
    expect(hex(db)).toBe(nodeSha(b));
    // The event loop ran timers while both jobs were still in flight...
    expect(ticksWhileBothRan).toBeGreaterThan(0);
    // ...the jobs ran on different threads and their native run intervals overlapped...
    const ta = fa.timing!;
    const tb = fb.timing!;
    expect(ta.thread).not.toBe(tb.thread);
    expect(ta.startedAt < tb.finishedAt && tb.startedAt < ta.finishedAt).toBe(true);
    // ...and the addon's own in-flight counter saw both at once.
    expect(nativeJobStats().maxInFlight).toBe(2);
    expect(nativeJobStats().inFlight).toBe(0);
  });
});
