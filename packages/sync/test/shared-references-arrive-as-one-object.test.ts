import { describe, expect, it } from "vitest";
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  Lock,
  marshal,
  RLock,
  registerMarshaller,
  Semaphore,
} from "../src/index.js";

/** What the receiving thread gets: encode, structured clone (as postMessage does), decode. */
function roundTrip<T>(value: T): T {
  return marshal.decode<T>(structuredClone(marshal.encode(value, { path: "args" })));
}

describe("within one message, every reference to an object arrives as one object (as with structured clone and pickle)", () => {
  it("a primitive referenced twice is encoded once and decoded as one object", () => {
    const lock = new Lock();
    const encoded = marshal.encode([lock, lock, { x: lock }]) as unknown[];
    expect(encoded[1]).toBe(encoded[0]);
    expect((encoded[2] as { x: unknown }).x).toBe(encoded[0]);
    const [a, b, o] = roundTrip([lock, lock, { x: lock, y: lock }]);
    expect(a).toBeInstanceOf(Lock);
    expect(a).not.toBe(lock); // a new object per message, over the same memory
    expect(b).toBe(a);
    expect(o.x).toBe(a);
    expect(o.y).toBe(a);
  });

  it("holds for every built-in kind, and a Condition's lock is the lock passed beside it", () => {
    const lock = new Lock();
    const kinds = [
      lock,
      new RLock(),
      new Event(),
      new Semaphore(2),
      new BoundedSemaphore(2),
      new Condition(lock),
      new Barrier(2),
    ];
    const back = roundTrip({ p: kinds, q: [...kinds].reverse() });
    for (let i = 0; i < kinds.length; i++) {
      expect(back.p[i]).toBe(back.q[kinds.length - 1 - i]);
      expect(back.p[i]).toBeInstanceOf(kinds[i]!.constructor);
    }
    expect((back.p[5] as Condition).lock).toBe(back.p[0]);
  });

  it("a registered kind is encoded once per object and decoded once per encoded value", () => {
    class Tally {
      constructor(readonly lock: Lock) {}
    }
    let encodes = 0;
    let decodes = 0;
    registerMarshaller("test.shared.Tally", {
      test: (v) => v instanceof Tally,
      encode: (t: Tally) => {
        encodes++;
        return { lock: t.lock };
      },
      decode: (d: { lock: Lock }) => {
        decodes++;
        return new Tally(d.lock);
      },
    });
    const lock = new Lock();
    const t = new Tally(lock);
    const back = roundTrip({ a: t, b: [t, t], lock });
    expect(encodes).toBe(1);
    expect(decodes).toBe(1);
    expect(back.b[0]).toBe(back.a);
    expect(back.b[1]).toBe(back.a);
    expect(back.a.lock).toBe(back.lock);
  });

  it("a registered kind that decodes to undefined is decoded once too", () => {
    class Nothing {}
    let decodes = 0;
    registerMarshaller("test.shared.Nothing", {
      test: (v) => v instanceof Nothing,
      encode: () => 0,
      decode: () => {
        decodes++;
        return undefined;
      },
    });
    const n = new Nothing();
    expect(roundTrip([n, new Lock(), n, { n }])).toEqual([
      undefined,
      expect.any(Lock),
      undefined,
      { n: undefined },
    ]);
    expect(decodes).toBe(1);
  });

  it("a container the walk rebuilds (it holds a primitive) and is referenced twice arrives as one object", () => {
    const lock = new Lock();
    const ev = new Event();
    const shared = { k: 1 };
    const inner = { lock, shared };
    const map = new Map<string, unknown>([["ev", ev]]);
    const set = new Set<unknown>([lock]);
    const back = roundTrip({
      p: [lock, shared],
      q: [lock, shared],
      r: inner,
      s: inner,
      m1: map,
      m2: map,
      s1: set,
      s2: set,
    });
    expect(back.p).not.toBe(back.q); // different arrays stay different
    expect(back.p[0]).toBe(back.q[0]);
    expect(back.p[1]).toBe(back.q[1]);
    expect(back.s).toBe(back.r);
    expect(back.r.lock).toBe(back.p[0]);
    expect(back.r.shared).toBe(back.p[1]);
    expect(back.m2).toBe(back.m1);
    expect(back.s2).toBe(back.s1);
    expect([...back.s1][0]).toBe(back.p[0]);
    expect(back.m1.get("ev")).toBeInstanceOf(Event);
  });

  it("containers that hold no primitive are not copied by encode, even in a message that has primitives", () => {
    const shared = { k: 1 };
    const list = [1, 2];
    const encoded = marshal.encode({ p: shared, q: shared, list, lock: new Lock() }) as Record<
      string,
      unknown
    >;
    expect(encoded.p).toBe(shared);
    expect(encoded.q).toBe(shared);
    expect(encoded.list).toBe(list);
  });

  it("cycles through containers holding primitives keep both the cycle and the sharing", () => {
    const lock = new Lock();
    const a: Record<string, unknown> = { lock };
    a.self = a;
    const [a1, a2, lock1] = roundTrip([a, a, lock] as const);
    expect(a2).toBe(a1);
    expect(a1.self).toBe(a1);
    expect(a1.lock).toBe(lock1);
  });

  it("holds in data deep enough for the walk's second pass", () => {
    const lock = new Lock();
    const leaf = { lock };
    let deep: unknown = leaf;
    for (let i = 0; i < 300; i++) deep = [deep];
    const back = roundTrip({ deep, leaf, lock });
    let d: unknown = back.deep;
    for (let i = 0; i < 300; i++) d = (d as unknown[])[0];
    expect(d).toBe(back.leaf);
    expect(back.leaf.lock).toBe(back.lock);
  });

  it("each message gets its own objects (identity is kept within a message, not across messages)", () => {
    const lock = new Lock();
    const encoded = marshal.encode([lock]);
    expect(marshal.decode<Lock[]>(structuredClone(encoded))[0]).not.toBe(
      marshal.decode<Lock[]>(structuredClone(encoded))[0],
    );
  });
});
