import { Lock } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

// As with structured clone and Python's pickle, every reference to one object within a thread's arguments
// (one message), or within its result, arrives as one object.
describe("references shared within a thread's arguments or result", () => {
  it("a Lock passed twice is one object in the thread and in its result", async () => {
    const l = new Lock();
    const t = new Thread({
      target: (a: Lock, o: { x: Lock; list: [Lock, object] }) => [a === o.x, o.list[0] === a, [a, a]],
      args: [l, { x: l, list: [l, {}] }],
    }).start();
    await t.join();
    const [same, inList, back] = t.result as [boolean, boolean, [Lock, Lock]];
    expect([same, inList]).toEqual([true, true]);
    expect(back[0]).toBeInstanceOf(Lock);
    expect(back[1]).toBe(back[0]);
  });
});
