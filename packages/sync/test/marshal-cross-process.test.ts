import { describe, expect, it } from "vitest";
import {
  atomicsWaiter,
  Condition,
  Event,
  Lock,
  MarshalError,
  marshal,
  registerMarshaller,
  registerMemoryProvider,
} from "../src/index.js";

/** The MarshalError that encoding `value` for another process throws. */
function rejected(value: unknown, path = "args"): MarshalError {
  try {
    marshal.encode(value, { path, crossProcess: true });
  } catch (e) {
    expect(e).toBeInstanceOf(MarshalError);
    return e as MarshalError;
  }
  throw new Error("expected a MarshalError");
}

// A provider standing in for process-shared memory (e.g. @weft/native's SharedMemory).
const segments = new Map<string, SharedArrayBuffer>();
registerMemoryProvider({
  name: "test-process-shm",
  owns: (b) => [...segments.values()].includes(b),
  describe: (b) => [...segments.entries()].find(([, v]) => v === b)![0],
  attach: (d) => segments.get(d as string)!,
  waiter: atomicsWaiter,
});
const segment = new SharedArrayBuffer(64);
segments.set("seg", segment);

describe("marshal.encode with crossProcess", () => {
  it("passes plain data unchanged and the same values as without the option", () => {
    const data = {
      a: [1, "x", { b: 2n }],
      d: new Date(0),
      bytes: new Uint8Array(4),
      ab: new ArrayBuffer(8),
      m: new Map([[1, new Float64Array(2)]]),
      s: new Set(["k"]),
    };
    expect(marshal.encode(data, { path: "args", crossProcess: true })).toBe(data);
    expect(marshal.encode(7, { crossProcess: true })).toBe(7);
    expect(marshal.encode(data, { crossProcess: false })).toBe(data);
  });

  it("rejects SharedArrayBuffers and views over them, naming the path", () => {
    const sab = rejected([{ a: [0, { shared: new SharedArrayBuffer(8) }] }]);
    expect(sab.path).toBe("args[0].a[1].shared");
    expect(sab.message).toMatch(/^args\[0\]\.a\[1\]\.shared is a SharedArrayBuffer: .*@weft\/native/);
    const view = rejected([new Map([["k", new Int32Array(new SharedArrayBuffer(8))]])]);
    expect(view.path).toBe('args[0].get("k")');
    expect(view.message).toMatch(
      /is a Int32Array over a SharedArrayBuffer: a child process would get a copy/,
    );
    expect(rejected(new Set([new DataView(new SharedArrayBuffer(4))]), "items[2]").path).toBe(
      "items[2].values()[0]",
    );
    // Without the option they are structured-cloneable leaves (threads share them).
    const shared = { s: new SharedArrayBuffer(8), v: new Int32Array(new SharedArrayBuffer(8)) };
    expect(marshal.encode(shared)).toBe(shared);
  });

  it("rejects primitives in thread-only memory, also inside Conditions and registered kinds", () => {
    expect(rejected([{ lock: new Lock() }]).message).toMatch(
      /^args\[0\]\.lock is a Lock in memory shared only between threads \(a SharedArrayBuffer\): /,
    );
    expect(rejected({ ev: [new Event()] }, "initArgs").path).toBe("initArgs.ev[0]");
    const providerLock = new Lock({ memory: { buffer: segment } });
    // A Condition in provider memory over a thread-only lock: the lock is named.
    const cond = new Condition(new Lock(), { memory: { buffer: segment, byteOffset: 24 } });
    expect(rejected([cond]).message).toMatch(/^args\[0\]\.lock is a Lock in memory shared only/);
    class Counter {
      constructor(readonly lock: Lock) {}
    }
    registerMarshaller("test.CrossProcessCounter", {
      test: (v) => v instanceof Counter,
      encode: (c: Counter) => ({ lock: c.lock }),
      decode: (d: { lock: Lock }) => new Counter(d.lock),
    });
    expect(rejected([1, new Counter(new Lock())]).message).toMatch(
      /^args\[1\]\.lock is a Lock in memory shared only between threads/,
    );
    // Thread mode still encodes them.
    expect(marshal.decode<Lock[]>(marshal.encode([new Lock()]))[0]).toBeInstanceOf(Lock);
    // ...and provider memory crosses in both modes.
    const encoded = marshal.encode([providerLock, new Counter(providerLock)], { crossProcess: true });
    const [lock2, counter2] = marshal.decode<[Lock, Counter]>(structuredClone(encoded));
    providerLock.acquireSync();
    expect(lock2.locked() && counter2.lock.locked()).toBe(true);
    providerLock.release();
  });

  it("rejects a provider's raw buffer, saying to send what attaches it", () => {
    const e = rejected({ memory: segment }, "args");
    expect(e.path).toBe("args.memory");
    expect(e.message).toMatch(/is a SharedArrayBuffer of memory provider "test-process-shm": raw buffers/);
    expect(rejected([new Uint8Array(segment, 48, 4)]).message).toMatch(
      /^args\[0\] is a Uint8Array over a SharedArrayBuffer of memory provider/,
    );
  });

  it("says processes, not threads, for what cannot cross anywhere", () => {
    expect(rejected([{ handler() {} }]).message).toBe(
      "args[0].handler is a function: functions cannot cross processes; pass data or a module target",
    );
    class Point {}
    expect(rejected([new Point()]).message).toMatch(/class instances cannot cross processes/);
  });

  it("names the path in deep and cyclic graphs", () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    cyclic.buf = new SharedArrayBuffer(1);
    expect(rejected(cyclic).path).toBe("args.buf");
    let deep: unknown = { leaf: new SharedArrayBuffer(1) };
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(rejected(deep).path).toBe(`args${"[0]".repeat(300)}.leaf`);
  });
});
