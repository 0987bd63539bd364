import { describe, expect, it } from "vitest";
import { Event, Lock, MarshalError, marshal, registerMarshaller } from "../src/index.js";

describe("marshal", () => {
  it("returns plain data unchanged (same reference)", () => {
    const data = { a: [1, "x", { b: 2n }], d: new Date(0), m: new Map([[1, 2]]), s: new Set([1]) };
    expect(marshal.encode(data)).toBe(data);
    expect(marshal.decode(data)).toBe(data);
  });

  it("replaces primitives by tagged records and decodes them over the same memory", () => {
    const lock = new Lock();
    const ev = new Event();
    const data = { n: 1, list: [lock, { ev }], map: new Map([["k", lock]]), set: new Set([ev]) };
    const encoded = marshal.encode(data) as Record<string, unknown>;
    const cloned = structuredClone(encoded);
    const back = marshal.decode<typeof data>(cloned);
    const lock2 = back.list[0] as Lock;
    expect(lock2).toBeInstanceOf(Lock);
    expect(lock2).not.toBe(lock);
    lock.acquireSync();
    expect(lock2.locked()).toBe(true);
    expect(back.map.get("k")!.locked()).toBe(true);
    lock2.release();
    expect(lock.locked()).toBe(false);
    const ev2 = (back.list[1] as { ev: Event }).ev;
    ev.set();
    expect(ev2.isSet()).toBe(true);
    expect([...back.set][0]!.isSet()).toBe(true);
    expect(back.n).toBe(1);
  });

  it("names the path of what cannot cross", () => {
    const bad = (value: unknown, path?: string) => {
      try {
        marshal.encode(value, path === undefined ? undefined : { path });
      } catch (e) {
        expect(e).toBeInstanceOf(MarshalError);
        expect(e).toBeInstanceOf(TypeError);
        return e as MarshalError;
      }
      throw new Error("expected a MarshalError");
    };
    const e1 = bad([1, { handler() {} }], "args");
    expect(e1.path).toBe("args[1].handler");
    expect(e1.message).toBe(
      "args[1].handler is a function: functions cannot cross threads; pass data or a module target",
    );
    expect(bad({ s: Symbol("x") }).path).toBe("value.s");
    expect(bad({ "a b": Promise.resolve() }).path).toBe('value["a b"]');
    expect(bad(new Map([["k", new WeakMap()]])).path).toBe('value.get("k")');
    class Foo {}
    expect(bad({ f: new Foo() }).message).toMatch(/instance of Foo.*registerMarshaller/);
    expect(bad(new Set([new WeakRef({})])).path).toBe("value.values()[0]");
  });

  it("keeps cycles and deep graphs", () => {
    const lock = new Lock();
    const a: Record<string, unknown> = { lock };
    a.self = a;
    const back = marshal.decode<Record<string, unknown>>(marshal.encode(a));
    expect(back.self).toBe(back);
    expect(back.lock).toBeInstanceOf(Lock);
    let deep: unknown = lock;
    for (let i = 0; i < 500; i++) deep = [deep];
    let d = marshal.decode<unknown>(marshal.encode(deep));
    for (let i = 0; i < 500; i++) d = (d as unknown[])[0];
    expect(d).toBeInstanceOf(Lock);
  });

  it("uses registered marshallers", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
        readonly lock: Lock,
      ) {}
    }
    registerMarshaller("test.Point", {
      test: (v) => v instanceof Point,
      encode: (p: Point) => ({ x: p.x, y: p.y, lock: p.lock }),
      decode: (d: { x: number; y: number; lock: Lock }) => new Point(d.x, d.y, d.lock),
    });
    const back = marshal.decode<Point[]>(structuredClone(marshal.encode([new Point(1, 2, new Lock())])));
    expect(back[0]).toBeInstanceOf(Point);
    expect(back[0]!.lock).toBeInstanceOf(Lock);
    expect(() => registerMarshaller("Lock", { test: () => false, encode: () => 0, decode: () => 0 })).toThrow(
      /built-in/,
    );
  });

  it("rejects unknown kinds on decode", () => {
    expect(() => marshal.decode({ __weft_marshal__: "Nope", data: 1 })).toThrow(/registerMarshaller/);
  });
});
