import { Event } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { Thread } from "../src/index.js";

describe("the end of a thread", () => {
  // The process pool registers such a hook, so the children of a pool the thread never shut down are reaped
  // by the thread's own event loop before it goes away.
  it("awaits the hooks registered on Symbol.for('@weft/threads/thread-exit-hooks') before the thread exits", async () => {
    const ended = new Event();
    const target = (done: Event) => {
      const key = Symbol.for("@weft/threads/thread-exit-hooks");
      const g = globalThis as unknown as Record<symbol, Set<() => Promise<void>>>;
      g[key] ??= new Set();
      g[key].add(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        done.set();
      });
      return "returned";
    };
    const thread = new Thread({ target, args: [ended] }).start();
    expect(await thread.join({ timeout: 10_000 })).toBe(true);
    expect(thread.result).toBe("returned");
    expect(ended.isSet()).toBe(true);
  });
});
