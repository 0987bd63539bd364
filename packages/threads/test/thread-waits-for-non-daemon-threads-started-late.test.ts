import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

// A thread waits for the non-daemon threads it started before it ends (they would die with it), including one
// started after its target returned (by a timer the target left behind) while it was waiting for another.

const tasks = new URL("./fixtures/late-non-daemon-child.mjs", import.meta.url);

describe("a thread whose target returned", () => {
  it("waits for a non-daemon thread started while it waits for its other threads", async () => {
    const cells = new SharedArrayBuffer(8);
    const parent = new Thread({ target: { module: tasks, export: "parent" }, args: [cells] }).start();
    expect(await parent.join({ timeout: 30_000 })).toBe(true);
    expect(parent.result).toBe("parent returned");
    // Both children ran to their end before the parent ended (slot 2 = ended, 1 = stopped mid-run).
    expect(Array.from(new Int32Array(cells))).toEqual([2, 2]);
  }, 60_000);
});
