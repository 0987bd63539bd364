import { fileURLToPath } from "node:url";
import { Event, Lock } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { sourceGraph } from "../../../scripts/module-graph.mjs";

const identity = new URL("./fixtures/thread-identity.mjs", import.meta.url);

/** The source modules and files in the static graph of a built entry. */
function graphOf(subpath: string): { sources: Set<string>; files: string[] } {
  return sourceGraph(fileURLToPath(import.meta.resolve(subpath)));
}

describe("a Thread's worker loads @weft/sync's user API only for arguments and results that need it", () => {
  it("@weft/threads/worker does not load @weft/sync's user API up front", () => {
    const { sources, files } = graphOf("@weft/threads/worker");
    expect(sources).toContain("load-target.ts");
    expect(files.filter((f) => /[/\\]sync[/\\]dist[/\\]index\.js$/.test(f))).toEqual([]);
    expect(["marshal.ts", "lock.ts", "marshal-bridge.ts"].filter((name) => sources.has(name))).toEqual([]);
  });

  it("a thread given numbers, strings and bytes runs and returns them", async () => {
    const t = new Thread({
      target: { module: identity, export: "leaves" },
      args: [3, "x", new Uint8Array(5)],
    }).start();
    await t.join();
    expect(t.result).toBe("x:3:5");
  });

  it("a Lock, an Event and a nested object reach the target as the classes its own import sees", async () => {
    const lock = new Lock();
    const done = new Event();
    const t = new Thread({
      target: { module: identity, export: "identities" },
      args: [lock, { label: "l", nested: { done, count: 1 } }],
    }).start();
    await t.join();
    const result = t.result as { lockIsLock: boolean; eventIsEvent: boolean; label: string; result: unknown };
    expect(result).toMatchObject({ lockIsLock: true, eventIsEvent: true, label: "l" });
    const back = result.result as { lock: Lock; count: number };
    expect(back.count).toBe(2);
    // The same shared lock comes back: taken there, it is taken here.
    const guard = back.lock.tryAcquire();
    expect(guard).not.toBe(false);
    expect(lock.locked()).toBe(true);
    if (guard) guard.release();
  });
});
