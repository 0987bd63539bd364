import { Event, marshal } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp, exitCode, forkFixture, nextMessage } from "./fixtures/child.js";

describe("Event in process-shared memory", () => {
  afterEach(cleanUp);

  it("set in this process wakes blocking and async waiters in three other processes", async () => {
    using shm = SharedMemory.create(4096);
    const go = new Event(shm.place(Event));
    const reply = new Event(shm.place(Event));
    const shared = marshal.encode({ go, reply });
    const modes = ["sync", "sync", "async"] as const;
    const children = modes.map(() => forkFixture("event-waiter.mjs"));
    try {
      for (const [i, c] of children.entries()) c.send({ shared, mode: modes[i], setReply: i === 2 });
      await Promise.all(children.map((c) => nextMessage(c, "ready")));
      const results = children.map((c) => nextMessage<{ woke: boolean; isSet: boolean }>(c, "woke"));
      // Give the children time to go to sleep (not needed for correctness: a set before the wait is seen).
      await new Promise((r) => setTimeout(r, 50));
      expect(go.isSet()).toBe(false);
      go.set();
      expect(await Promise.all(results)).toEqual(modes.map(() => ({ woke: true, isSet: true })));
      // The third child sets `reply`; this process's async wait on it must be woken across processes.
      expect(await reply.wait()).toBe(true);
      expect(await Promise.all(children.map(exitCode))).toEqual([0, 0, 0]);
    } finally {
      for (const c of children) c.kill();
    }
  }, 30_000);

  it("two events in one segment are independent; a set in a child reaches a blocking wait here", async () => {
    using shm = SharedMemory.create(4096);
    const go = new Event(shm.place(Event));
    const reply = new Event(shm.place(Event));
    const child = forkFixture("event-waiter.mjs");
    try {
      child.send({ shared: marshal.encode({ go, reply }), mode: "async", setReply: true });
      await nextMessage(child, "ready");
      const result = nextMessage<{ woke: boolean }>(child, "woke");
      expect(reply.waitSync({ timeout: 50 })).toBe(false);
      go.set();
      expect((await result).woke).toBe(true);
      expect(await reply.wait()).toBe(true);
      expect(await exitCode(child)).toBe(0);
    } finally {
      child.kill();
    }
  }, 30_000);
});
