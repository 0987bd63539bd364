import { describe, expect, it } from "vitest";
import { Lock, MarshalError, marshal, registerMarshaller } from "../src/index.js";

function deepArray(n: number): unknown[] {
  let d: unknown[] = [];
  for (let i = 0; i < n; i++) d = [d];
  return d;
}

function encodeError(value: unknown, options?: { path?: string; crossProcess?: boolean }): MarshalError {
  try {
    marshal.encode(value, options);
  } catch (err) {
    expect(err).toBeInstanceOf(MarshalError);
    return err as MarshalError;
  }
  throw new Error("expected marshal.encode to throw");
}

describe("marshal.encode refuses a Proxy wherever it is, naming its path", () => {
  it("at the root and inside arrays, objects, Maps (keys and values) and Sets, whatever it wraps", () => {
    const p = () => new Proxy({ a: 1 }, {});
    expect(encodeError(p(), { path: "args" }).path).toBe("args");
    expect(encodeError([1, new Proxy([1], {})], { path: "args" }).path).toBe("args[1]");
    expect(encodeError({ x: { y: p() } }).path).toBe("value.x.y");
    expect(encodeError(new Map([["k", p()]])).path).toBe('value.get("k")');
    expect(encodeError(new Map([[p(), 1]])).path).toBe("value.keys()[0]");
    expect(encodeError(new Set([p()])).path).toBe("value.values()[0]");
    for (const target of [new Date(), new ArrayBuffer(4), new Uint8Array(2), new Map(), new Lock()]) {
      expect(encodeError([new Proxy(target, {})]).message).toMatch(/^value\[0\] is a Proxy: /);
    }
    expect(encodeError([new Proxy({}, {})], { crossProcess: true }).message).toMatch(
      /cannot cross processes/,
    );
  });

  it("does not run the proxy's traps", () => {
    let trapped = 0;
    const count = <T>(result: T): T => {
      trapped++;
      return result;
    };
    const handler: ProxyHandler<object> = {
      get: (t, k) => count(Reflect.get(t, k)),
      has: (t, k) => count(Reflect.has(t, k)),
      ownKeys: (t) => count(Reflect.ownKeys(t)),
      getPrototypeOf: (t) => count(Reflect.getPrototypeOf(t)),
    };
    encodeError({ p: new Proxy({ a: 1 }, handler) });
    expect(trapped).toBe(0);
  });

  it("a revoked proxy too", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(encodeError({ r: proxy }).message).toMatch(/^value\.r is a Proxy/);
  });
});

describe("data nested deeper than 1000 levels is a MarshalError, not a stack overflow", () => {
  it("200,000 nested arrays or objects: a shortened path, the limit and where the walk stopped", () => {
    const a = encodeError([deepArray(200_000)], { path: "args" });
    expect(a.path).toBe(`args${"[0]".repeat(10)}…`);
    expect(a.message).toMatch(/is nested more than 1000 levels deep \(the walk stopped at level 1001\)/);
    let o: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) o = { next: o };
    expect(encodeError(o).path).toBe(`value${".next".repeat(10)}…`);
    let m: unknown = 1;
    for (let i = 0; i < 200_000; i++) m = new Map([["k", m]]);
    expect(encodeError(m).message).toMatch(/nested more than 1000 levels deep/);
    expect(() => marshal.decode(deepArray(200_000))).toThrow(MarshalError);
  });

  it("1000 levels below the root cross, 1001 do not; a primitive at the bottom is rebuilt", () => {
    expect(() => marshal.encode(deepArray(1000))).not.toThrow();
    expect(encodeError(deepArray(1001)).message).toMatch(/stopped at level 1001/);
    expect(() => marshal.encode([deepArray(999)], { path: "args" })).not.toThrow();
    const lock = new Lock();
    let d: unknown = [lock];
    for (let i = 0; i < 998; i++) d = [d];
    const back = marshal.decode<unknown[]>(structuredClone(marshal.encode(d)));
    let x: unknown = back;
    for (let i = 0; i < 999; i++) x = (x as unknown[])[0];
    expect(x).toBeInstanceOf(Lock);
  });

  it("nesting made by a marshaller counts too (one that encodes forever ends with a MarshalError)", () => {
    class Turtle {}
    registerMarshaller("test.Turtle", {
      test: (v) => v instanceof Turtle,
      encode: () => ({ below: new Turtle() }),
      decode: () => new Turtle(),
    });
    const e = encodeError({ t: new Turtle() });
    expect(e.path).toMatch(/^value\.t(\.below)+…$/);
    // (on Node 22 the stack runs out first: then it says so, still as a MarshalError)
    expect(e.message).toMatch(/nested (more than 1000 levels deep|deeper than this thread's stack allows)/);
  });

  it("cycles still encode (the walk keeps a seen map past 200 levels)", () => {
    const a: unknown[] = [];
    a.push(a, new Lock());
    const back = marshal.decode<unknown[]>(structuredClone(marshal.encode(a)));
    expect(back[0]).toBe(back);
    expect(back[1]).toBeInstanceOf(Lock);
  });
});
