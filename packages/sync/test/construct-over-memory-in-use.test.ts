import { describe, expect, it } from "vitest";
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  Lock,
  MemoryInUseError,
  marshal,
  RLock,
  Semaphore,
} from "../src/index.js";

type Make = (memory: { buffer: SharedArrayBuffer; byteOffset?: number }) => unknown;
const kinds: [string, number, Make][] = [
  ["Lock", Lock.byteLength, (memory) => new Lock({ memory })],
  ["RLock", RLock.byteLength, (memory) => new RLock({ memory })],
  ["Semaphore", Semaphore.byteLength, (memory) => new Semaphore(2, { memory })],
  ["BoundedSemaphore", BoundedSemaphore.byteLength, (memory) => new BoundedSemaphore(2, { memory })],
  ["Event", Event.byteLength, (memory) => new Event({ memory })],
  ["Condition", Condition.byteLength, (memory) => new Condition(new Lock(), { memory })],
  ["Barrier", Barrier.byteLength, (memory) => new Barrier(2, { memory })],
];

describe("constructing a primitive over memory that is in use", () => {
  it("new Lock({ memory }) over a held lock throws MemoryInUseError and leaves it locked", () => {
    const buffer = new SharedArrayBuffer(Lock.byteLength);
    const held = new Lock({ memory: { buffer } });
    held.acquireSync();
    expect(() => new Lock({ memory: { buffer } })).toThrow(MemoryInUseError);
    expect(held.locked()).toBe(true);
    // Attaching is marshal.decode's job, and sees the same lock.
    expect(marshal.decode<Lock>(marshal.encode(held)).locked()).toBe(true);
    held.release();
  });

  it("new Event({ memory }) over a set event throws and leaves it set", () => {
    const buffer = new SharedArrayBuffer(Event.byteLength * 2);
    const e = new Event({ memory: { buffer, byteOffset: Event.byteLength } });
    e.set();
    let error: unknown;
    try {
      new Event({ memory: { buffer, byteOffset: Event.byteLength } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MemoryInUseError);
    expect((error as MemoryInUseError).code).toBe("ERR_WEFT_MEMORY_IN_USE");
    expect((error as Error).message).toMatch(/already holds an Event/);
    expect((error as Error).message).toMatch(/marshal\.decode/);
    expect(e.isSet()).toBe(true);
    // The free slot before it is still usable.
    expect(new Event({ memory: { buffer } }).isSet()).toBe(false);
  });

  for (const [kind, bytes, make] of kinds) {
    it(`${kind}: any non-zero byte in its range is refused, zeroed memory is accepted`, () => {
      const buffer = new SharedArrayBuffer(bytes + 8);
      const bytesView = new Uint8Array(buffer);
      for (const at of [0, 5, bytes - 1]) {
        bytesView.fill(0);
        bytesView[8 + at] = 7;
        expect(() => make({ buffer, byteOffset: 8 }), `byte ${at}`).toThrow(MemoryInUseError);
        expect(bytesView[8 + at]).toBe(7);
      }
      bytesView.fill(0);
      expect(() => make({ buffer, byteOffset: 8 })).not.toThrow();
      // Now it holds one: a second construction over it is refused too.
      expect(() => make({ buffer, byteOffset: 8 })).toThrow(new RegExp(`already holds an? ${kind};`));
    });
  }

  it("memory that holds another kind of primitive is named in the message", () => {
    const buffer = new SharedArrayBuffer(Semaphore.byteLength);
    new Semaphore(1, { memory: { buffer } });
    expect(() => new Lock({ memory: { buffer } })).toThrow(/already holds a Semaphore/);
  });
});
