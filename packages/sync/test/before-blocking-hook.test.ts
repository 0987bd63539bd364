// setBeforeBlocking (extension API): the hook a thread's blocking waits call just before they block, once per
// park, and never on a wait that does not block. A hook that is not a function is refused when set, not
// discovered inside some later wait.
import { Event, Lock } from "@weft/sync";
import { setBeforeBlocking } from "@weft/sync/extension";
import { afterEach, describe, expect, it } from "vitest";

afterEach(() => setBeforeBlocking(undefined));

describe("setBeforeBlocking", () => {
  it("is called before a wait blocks, and not by one that does not", () => {
    let calls = 0;
    setBeforeBlocking(() => calls++);
    const set = new Event();
    set.set();
    expect(set.waitSync({ timeout: 1000 })).toBe(true);
    const lock = new Lock();
    expect(lock.acquireSync()).not.toBe(false);
    lock.release();
    expect(calls).toBe(0);
    expect(new Event().waitSync({ timeout: 20 })).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(1);
  });

  it("is removed by undefined", () => {
    let calls = 0;
    setBeforeBlocking(() => calls++);
    setBeforeBlocking(undefined);
    expect(new Event().waitSync({ timeout: 10 })).toBe(false);
    expect(calls).toBe(0);
  });

  it.each([
    [42, "number"],
    [null, "null"],
    [{}, "object"],
  ])("refuses %j with a TypeError naming what it got", (hook, got) => {
    expect(() => setBeforeBlocking(hook as never)).toThrow(TypeError);
    expect(() => setBeforeBlocking(hook as never)).toThrow(`got ${got}`);
  });
});
