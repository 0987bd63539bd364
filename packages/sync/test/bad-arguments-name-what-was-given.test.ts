import { describe, expect, it } from "vitest";
import { Barrier, Condition, Event, Lock, RLock, Semaphore } from "../src/index.js";
import { thrownBy } from "./thrown-by.js";

// Found while porting CPython's lock_tests / _test_multiprocessing expectations: Python accepts
// Barrier(2, action=5), Condition(5) and cond.wait_for(5) and fails later (TypeError: 'int' object is not
// callable, AttributeError); weft refuses them at the call, and now says what it was given, as its other
// argument errors do (`got 1.5`, `got the number 5: pass { timeout: 5 }`).

describe("bad arguments of Barrier, Condition and waits name what was given", () => {
  it("Barrier's action", () => {
    const err = thrownBy(() => new Barrier(2, { action: 5 as never }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe("Barrier: action must be a function, got number");
  });

  it("Condition's lock: a primitive's type, or the class of an object that is not a Lock or RLock", () => {
    expect(thrownBy(() => new Condition(5 as never)).message).toBe(
      "Condition: lock must be a Lock or an RLock from @weft/sync, got number",
    );
    expect(thrownBy(() => new Condition(new Semaphore(1) as never)).message).toBe(
      "Condition: lock must be a Lock or an RLock from @weft/sync, got a Semaphore",
    );
    expect(thrownBy(() => new Condition({} as never)).message).toBe(
      "Condition: lock must be a Lock or an RLock from @weft/sync, got an object",
    );
    expect(new Condition(null as never).lock).toBeInstanceOf(RLock); // Python's Condition(None): the default
    expect(new Condition(new Lock()).lock).toBeInstanceOf(Lock); // the right ones still work
    expect(new Condition(new RLock()).lock).toBeInstanceOf(RLock);
  });

  it("waitFor's and waitForSync's predicate", async () => {
    const cond = new Condition();
    cond.acquireSync();
    await expect(cond.waitFor(5 as never)).rejects.toThrow(
      new TypeError("Condition.waitFor: predicate must be a function, got number"),
    );
    expect(thrownBy(() => cond.waitForSync("ready" as never)).message).toBe(
      "Condition.waitForSync: predicate must be a function, got string",
    );
    cond.release();
  });

  it("a wait's signal that is not an AbortSignal", async () => {
    await expect(new Semaphore(1).acquire({ signal: 5 as never })).rejects.toThrow(
      new TypeError("Semaphore.acquire: signal must be an AbortSignal, got number"),
    );
    expect(thrownBy(() => new Event().waitSync({ signal: null as never })).message).toBe(
      "Event.waitSync: signal must be an AbortSignal, got null",
    );
  });
});
