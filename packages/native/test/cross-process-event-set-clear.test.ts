import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp, eventWaiters, exitCode, nextMessage } from "./fixtures/child.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("Event in process-shared memory: set() then clear() at once", () => {
  afterEach(cleanUp);

  it("wakes every waiter already waiting, blocking and async, in other processes and here", async () => {
    using shm = SharedMemory.create(4096);
    const { go, children } = eventWaiters(shm, ["sync", "sync", "async"], { timeout: 8000 });
    try {
      await Promise.all(children.map((c) => nextMessage(c, "ready")));
      const results = children.map((c) => nextMessage<{ woke: boolean }>(c, "woke").then((m) => m.woke));
      const here = go.wait({ timeout: 8000 });
      // A blocking child reported ready just before it blocks; give it ample time to get there.
      await sleep(300);
      go.set();
      go.clear();
      // (What a child then reads from isSet() races with the clear() here, so only the result is checked.)
      expect(await Promise.all(results)).toEqual([true, true, true]);
      expect(go.isSet()).toBe(false);
      expect(await here).toBe(true);
      expect(await Promise.all(children.map(exitCode))).toEqual([0, 0, 0]);
    } finally {
      for (const c of children) c.kill();
    }
  }, 30_000);

  it("a child's wait with a timeout above 2^31 - 1 ms does not end early; a set() here ends it", async () => {
    using shm = SharedMemory.create(4096);
    const { go, children } = eventWaiters(shm, ["sync", "async"], { timeout: 2 ** 31 + 5 });
    try {
      await Promise.all(children.map((c) => nextMessage(c, "ready")));
      let early = false;
      const results = children.map((c) =>
        nextMessage<{ woke: boolean }>(c, "woke").then((m) => {
          early = !go.isSet();
          return m.woke;
        }),
      );
      await sleep(300);
      expect(early).toBe(false);
      go.set();
      expect(await Promise.all(results)).toEqual([true, true]);
      expect(early).toBe(false);
      expect(await Promise.all(children.map(exitCode))).toEqual([0, 0]);
    } finally {
      for (const c of children) c.kill();
    }
  }, 30_000);
});
