import { readdirSync } from "node:fs";
import { enumerate, Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

const tasks = new URL("./fixtures/tasks.mjs", import.meta.url);

const osThreads = (): number => readdirSync("/proc/self/task").length;
const workerResources = (): string[] =>
  process.getActiveResourcesInfo().filter((r) => /Worker|MessagePort/i.test(r));

describe("resource hygiene", () => {
  it("50 threads started together and joined leave no worker, port or OS thread behind", async () => {
    const linux = process.platform === "linux";
    // Warm up: the first thread starts lazily created runtime threads (libuv's pool) that stay for good.
    await new Thread({ target: { module: tasks, export: "slowEcho" }, args: [0, 1] }).start().join();
    const before = linux ? osThreads() : 0;
    const resourcesBefore = workerResources();
    const threads = Array.from({ length: 50 }, (_, i) =>
      new Thread({ target: { module: tasks, export: "slowEcho" }, args: [i, 20] }).start(),
    );
    expect(enumerate().length).toBeGreaterThanOrEqual(51);
    if (linux) expect(osThreads()).toBeGreaterThan(before);
    const joined = await Promise.all(threads.map((t) => t.join({ timeout: 60_000 })));
    expect(joined.every(Boolean)).toBe(true);
    expect(threads.map((t) => t.result)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(threads.some((t) => t.isAlive)).toBe(false);
    expect(enumerate().filter((t) => threads.includes(t))).toEqual([]);
    expect(workerResources()).toEqual(resourcesBefore);
    // Worker OS threads are joined when the worker exits; allow the runtime a moment to reap them.
    if (linux) {
      for (let i = 0; i < 100 && osThreads() > before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(osThreads()).toBeLessThanOrEqual(before);
    }
  });
});
