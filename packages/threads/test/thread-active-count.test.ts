import { Event } from "@weft/sync";
import { activeCount, enumerate, Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

describe("activeCount (Python's threading.active_count)", () => {
  it("equals enumerate().length in the main thread, as threads start and end", async () => {
    const base = activeCount();
    expect(base).toBe(enumerate().length);
    const release = new Event();
    const threads = [1, 2].map(() =>
      new Thread({ target: (ev: Event) => ev.wait(), args: [release] }).start(),
    );
    expect(activeCount()).toBe(base + 2);
    expect(activeCount()).toBe(enumerate().length);
    release.set();
    for (const t of threads) await t.join();
    expect(activeCount()).toBe(base);
  });

  it("inside a thread counts the main thread, itself and the threads it started", async () => {
    const t = new Thread({ target: { module: threadTasks, export: "countsInside" } }).start();
    await t.join();
    expect(t.result).toEqual({ before: [2, 2], during: [3, 3], after: [2, 2] });
  });
});
