import { createRequire } from "node:module";
import { Event as BuiltEvent, marshal as builtMarshal } from "@weft/sync";
import { describe, expect, it } from "vitest";
import {
  acquireAllSync,
  atomicsWaiter,
  Lock,
  MarshalError,
  marshal,
  registerMemoryProvider,
  Semaphore,
  type Waiter,
} from "../src/index.js";
import { runWorker } from "./helpers.js";

describe("interoperability", () => {
  it("the CommonJS build loads, and its primitives work with this copy's marshal and ordering", () => {
    const cjs = createRequire(import.meta.url)("@weft/sync") as typeof import("../src/index.js");
    const foreign = new cjs.Lock();
    const back = marshal.decode<Lock>(marshal.encode(foreign));
    foreign.acquireSync();
    expect(back.locked()).toBe(true);
    foreign.release();
    const mine = new Lock();
    const g = acquireAllSync(mine, foreign as unknown as Lock);
    expect(mine.locked() && foreign.locked()).toBe(true);
    g.release();
    expect(() => cjs.acquireAllSync(foreign)).not.toThrow();
    foreign.release();
  });

  it("an Event set once wakes waiters blocked or awaiting in four workers", async () => {
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const woke = new Int32Array(new SharedArrayBuffer(4));
    const go = new BuiltEvent();
    const runs = ["sync", "async", "sync", "async"].map((mode) =>
      runWorker("event-waiters.mjs", builtMarshal.encode({ ready, go, woke, mode })),
    );
    while (Atomics.load(ready, 0) < 4) await Atomics.waitAsync(ready, 0, Atomics.load(ready, 0), 50).value;
    go.set();
    await Promise.all(runs);
    expect(woke[0]).toBe(4);
  });

  it("a memory provider's description replaces the buffer, and its waiter is used after decode", () => {
    const store = new Map<string, SharedArrayBuffer>();
    let waits = 0;
    const waiter: Waiter = {
      wait: (a, i, v, t) => {
        waits++;
        return atomicsWaiter.wait(a, i, v, t);
      },
      waitAsync: (a, i, v, t) => atomicsWaiter.waitAsync(a, i, v, t),
      notify: (a, i, n) => atomicsWaiter.notify(a, i, n),
    };
    const buffer = new SharedArrayBuffer(Semaphore.byteLength);
    store.set("seg-1", buffer);
    registerMemoryProvider({
      name: "test-shm",
      owns: (b) => [...store.values()].includes(b),
      describe: (b) => [...store.entries()].find(([, v]) => v === b)![0],
      attach: (d) => store.get(d as string)!,
      waiter,
    });
    const sem = new Semaphore(0, { memory: { buffer } });
    const encoded = marshal.encode(sem) as { data: Record<string, unknown> };
    expect(encoded.data.provider).toBe("test-shm");
    expect(encoded.data.memory).toBe("seg-1");
    expect(encoded.data.buffer).toBeUndefined();
    const back = marshal.decode<Semaphore>(encoded);
    // 30 ms: a timeout that has run out before the first park (a slow machine) would never call the waiter
    expect(back.acquireSync({ timeout: 30 })).toBe(false);
    expect(waits).toBeGreaterThanOrEqual(1);
    sem.release();
    expect(back.value).toBe(1);
    expect(() => registerMemoryProvider({ name: "" } as never)).toThrow(TypeError);
  });

  it("a primitive with a custom waiter and plain memory cannot cross", () => {
    const lock = new Lock({ waiter: { ...atomicsWaiter } });
    expect(() => marshal.encode({ lock })).toThrow(MarshalError);
  });
});
