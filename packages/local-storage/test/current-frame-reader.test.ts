// The fast read of the current context must always agree with AsyncLocalStorage.getStore(), and fall back to
// getStore() where the storage does not keep its store the way Node 20's async_hooks implementation does.
import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { chooseReader, type Frame, makeFrame } from "../src/context-state.js";

describe("reading the current context frame", () => {
  it("agrees with getStore() outside a run, inside it, and after awaits and timers", async () => {
    const als = new AsyncLocalStorage<Frame>();
    const read = chooseReader(als);
    expect(read()).toBe(als.getStore());
    const frame = makeFrame([], 0, null);
    const seen = await als.run(frame, async () => {
      const values = [read() === frame];
      await null;
      values.push(read() === frame);
      await new Promise((r) => setTimeout(r, 1));
      values.push(read() === frame, read() === als.getStore());
      return values;
    });
    expect(seen).toEqual([true, true, true, true]);
    expect(read()).toBe(als.getStore());
  });

  it("falls back to getStore() for a storage without a resource-store key", () => {
    const frame = makeFrame([], 0, null);
    let calls = 0;
    const fake = {
      run: <R>(_store: Frame, fn: () => R) => fn(),
      getStore: () => {
        calls++;
        return frame;
      },
    } as unknown as AsyncLocalStorage<Frame>;
    const read = chooseReader(fake);
    expect(read()).toBe(frame);
    expect(calls).toBe(1);
  });

  it("falls back to getStore() when the shortcut disagrees with it", () => {
    const frame = makeFrame([], 0, null);
    const fake = {
      kResourceStore: Symbol("not where the store is"),
      run: <R>(_store: Frame, fn: () => R) => fn(),
      getStore: () => frame,
    } as unknown as AsyncLocalStorage<Frame>;
    expect(chooseReader(fake)()).toBe(frame);
  });
});
