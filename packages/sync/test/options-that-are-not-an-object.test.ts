import { describe, expect, it } from "vitest";
import { Event, Lock, marshal, Semaphore } from "../src/index.js";

// Options that are not an object are refused saying what they are; an array is not taken for `{}`, and a
// number where wait options belong (Python's `acquire(timeout=...)` spelling) says to pass `{ timeout }`.
describe("@weft/sync options that are not an object", () => {
  it("constructors", () => {
    expect(() => new Lock([] as never)).toThrow(
      new TypeError("Lock: options must be an object, got an array"),
    );
    expect(() => new Event((() => 1) as never)).toThrow(
      new TypeError("Event: options must be an object, got a function"),
    );
    expect(() => new Semaphore(1, null as never)).toThrow(
      new TypeError("Semaphore: options must be an object, got null"),
    );
  });

  it("waits", async () => {
    const lock = new Lock();
    await expect(lock.acquire(500 as never)).rejects.toThrow(
      /: options must be an object like \{ timeout, signal \}, got the number 500: pass \{ timeout: 500 \}$/,
    );
    await expect(new Event().wait([] as never)).rejects.toThrow(
      /^Event\.wait: options must be an object like \{ timeout, signal \}, got an array$/,
    );
  });

  it("marshal.encode", () => {
    expect(() => marshal.encode(1, [] as never)).toThrow(
      new TypeError("marshal.encode: options must be an object like { path, crossProcess }, got an array"),
    );
    expect(() => marshal.encode(1, { path: null } as never)).toThrow(
      new TypeError("marshal.encode options: path must be a string, got null"),
    );
  });
});
