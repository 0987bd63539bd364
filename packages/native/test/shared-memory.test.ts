import { existsSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  processSharedMemory,
  SharedMemory,
  SharedMemoryError,
  SharedMemoryNameError,
  SharedMemorySizeError,
} from "../src/index.js";
import { registry } from "../src/registry.js";

const shmPath = (name: string) => `/dev/shm/${name}`;

describe("SharedMemory", () => {
  it("creates a 0600 segment under a random name and unlinks it on close", () => {
    const shm = SharedMemory.create(4096);
    expect(shm.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shm.byteLength).toBe(4096);
    expect(shm.name).toMatch(new RegExp(`^weft-${process.pid}-[0-9a-f]{24}$`));
    expect(statSync(shmPath(shm.name)).mode & 0o777).toBe(0o600);
    using other = SharedMemory.create(64);
    expect(other.name).not.toBe(shm.name);
    shm.close();
    expect(existsSync(shmPath(shm.name))).toBe(false);
    expect(shm.closed).toBe(true);
    shm.close(); // idempotent
  });

  it("unlinks on `using` and keeps the mapping usable afterwards", () => {
    let buffer: SharedArrayBuffer;
    let name: string;
    {
      using shm = SharedMemory.create(64);
      buffer = shm.buffer;
      name = shm.name;
      new Int32Array(buffer)[8] = 7;
    }
    expect(existsSync(shmPath(name))).toBe(false);
    expect(new Int32Array(buffer)[8]).toBe(7);
  });

  it("attach maps the same bytes; within one thread it reuses the mapping", () => {
    using shm = SharedMemory.create(8192, { name: `weft-test-${process.pid}-a` });
    const other = SharedMemory.attach(shm.name);
    expect(other.buffer).toBe(shm.buffer);
    expect(other.isOwner).toBe(false);
    expect(other.byteLength).toBe(8192);
    other.close(); // not the owner: the name stays
    expect(existsSync(shmPath(shm.name))).toBe(true);
  });

  it("a second mapping of the same segment aliases the same physical memory", () => {
    using shm = SharedMemory.create(4096);
    const offset = shm.allocate(4);
    // Drop this thread's cache so attach really calls mmap again.
    registry().byName.delete(shm.name);
    const second = SharedMemory.attach(shm.name);
    expect(second.buffer).not.toBe(shm.buffer);
    Atomics.store(new Int32Array(shm.buffer, offset, 1), 0, 1234);
    expect(Atomics.load(new Int32Array(second.buffer, offset, 1), 0)).toBe(1234);
  });

  it("rejects names with path characters and bad sizes with typed errors", () => {
    for (const bad of ["", "../x", "a/b", "/abs", ".hidden", "x".repeat(201), "sp ace", "é"]) {
      expect(() => SharedMemory.create(64, { name: bad })).toThrow(SharedMemoryNameError);
      expect(() => SharedMemory.attach(bad)).toThrow(SharedMemoryNameError);
    }
    expect(() => SharedMemory.attach(42 as unknown as string)).toThrow(/invalid/);
    for (const bad of [0, 15, -1, 1.5, Number.NaN, 2 ** 33, "64" as unknown as number]) {
      expect(() => SharedMemory.create(bad)).toThrow(SharedMemorySizeError);
    }
    expect(() => SharedMemory.create(0)).toThrow(/integer from 16/);
  });

  it("refuses an unknown option key (a misspelt name would get a random one) and non-object options", () => {
    expect(() => SharedMemory.create(64, { nmae: "cache" } as never)).toThrow(
      new TypeError(
        'SharedMemory.create options: unknown option "nmae" (did you mean "name"?); valid options: name',
      ),
    );
    expect(() => SharedMemory.create(64, "cache" as never)).toThrow(TypeError);
    expect(() => SharedMemory.create(64, null as never)).toThrow(TypeError);
  });

  it("reports a missing segment and a name collision as SharedMemoryError with the errno code", () => {
    const missing = `weft-test-${process.pid}-missing`;
    const e = (() => {
      try {
        SharedMemory.attach(missing);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(SharedMemoryError);
    expect((e as SharedMemoryError).errno).toBe("ENOENT");
    expect((e as Error).message).toMatch(/closed it or exited/);
    using shm = SharedMemory.create(64, { name: `weft-test-${process.pid}-dup` });
    expect(() => SharedMemory.create(64, { name: shm.name })).toThrow(
      expect.objectContaining({ name: "SharedMemoryError", errno: "EEXIST" }),
    );
    expect(SharedMemory.unlink(missing)).toBe(false);
  });

  it("allocates aligned, non-overlapping slots after the header until full", () => {
    using shm = SharedMemory.create(64);
    const a = shm.allocate(4);
    const b = shm.allocate(12);
    const c = shm.allocate(1, 16);
    expect(a).toBe(16);
    expect(b).toBe(24);
    expect(c).toBe(48);
    expect(() => shm.allocate(64)).toThrow(SharedMemorySizeError);
    expect(() => shm.allocate(1, 3)).toThrow(/power of two/);
    expect(() => shm.allocate(-1)).toThrow(SharedMemorySizeError);
    // The cursor lives in the segment, so another mapping continues where this one stopped.
    expect(SharedMemory.attach(shm.name).allocate(8)).toBe(56);
  });

  it("place() returns memory and the futex waiter for a primitive constructor", () => {
    using shm = SharedMemory.create(256);
    const p = shm.place({ byteLength: 32 });
    expect(p.memory.buffer).toBe(shm.buffer);
    expect(p.memory.byteOffset % 8).toBe(0);
    expect(p.waiter).toBe(processSharedMemory.waiter);
  });

  it("is owned and described by the memory provider; ordinary buffers are not", () => {
    using shm = SharedMemory.create(64);
    expect(processSharedMemory.owns(shm.buffer)).toBe(true);
    expect(processSharedMemory.owns(new SharedArrayBuffer(64))).toBe(false);
    const desc = processSharedMemory.describe(shm.buffer);
    expect(structuredClone(desc)).toEqual({ name: shm.name, key: expect.stringMatching(/^\d+:\d+$/) });
    expect(processSharedMemory.attach(desc)).toBe(shm.buffer);
    expect(() => processSharedMemory.attach({ name: "../etc/passwd" })).toThrow(SharedMemoryNameError);
    expect(() => processSharedMemory.describe(new SharedArrayBuffer(8))).toThrow(TypeError);
  });
});
