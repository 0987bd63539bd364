import { describe, expect, it } from "vitest";
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  Lock,
  marshal,
  RLock,
  Semaphore,
  withLock,
  withLocks,
} from "../src/index.js";
import { thrownBy } from "./thrown-by.js";

// A misspelt option must not be ignored: `{ timout: 100 }` would wait forever, `{ byteOfset }` would place a
// primitive at offset 0, over another one.
describe("every options object of @weft/sync refuses keys it does not know", () => {
  it("constructors name the unknown key and the nearest valid one", () => {
    const cases: [string, () => unknown, RegExp][] = [
      [
        "Lock",
        () => new Lock({ memroy: {} } as never),
        /^new Lock options: unknown option "memroy" \(did you mean "memory"\?\); valid options: memory, waiter$/,
      ],
      [
        "RLock",
        () => new RLock({ wiater: {} } as never),
        /^new RLock options: unknown option "wiater" \(did you mean "waiter"\?\)/,
      ],
      ["Event", () => new Event({ memroy: {} } as never), /^new Event options: unknown option "memroy"/],
      [
        "Semaphore",
        () => new Semaphore(1, { memroy: {} } as never),
        /^new Semaphore options: unknown option "memroy"/,
      ],
      [
        "BoundedSemaphore",
        () => new BoundedSemaphore(1, { size: 2 } as never),
        /^new BoundedSemaphore options: unknown option "size"/,
      ],
      [
        "Condition",
        () => new Condition(undefined, { memroy: {} } as never),
        /^new Condition options: unknown option "memroy"/,
      ],
      [
        "Barrier",
        () => new Barrier(2, { acton: () => {} } as never),
        /^new Barrier options: unknown option "acton" \(did you mean "action"\?\); valid options: memory, waiter, action, timeout$/,
      ],
    ];
    for (const [name, make, message] of cases) {
      const e = thrownBy(make);
      expect(e, name).toBeInstanceOf(TypeError);
      expect(e.message, name).toMatch(message);
    }
  });

  it("a plain memory object has only buffer and byteOffset, so a misspelt offset cannot land on offset 0", () => {
    const buffer = new SharedArrayBuffer(Lock.byteLength * 2);
    const first = new Lock({ memory: { buffer } });
    first.acquireSync();
    const e = thrownBy(() => new Lock({ memory: { buffer, byteOfset: Lock.byteLength } as never }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(
      /^new Lock\(\{ memory \}\): unknown option "byteOfset" \(did you mean "byteOffset"\?\)/,
    );
    expect(first.locked()).toBe(true);
    expect(thrownBy(() => new Event({ memory: 5 as never })).message).toMatch(/memory must be an object/);
    // the right spelling places it beside the first
    expect(new Lock({ memory: { buffer, byteOffset: Lock.byteLength } }).locked()).toBe(false);
  });

  it("blocking waits throw, naming the method", () => {
    const cases: [string, () => unknown][] = [
      ["Lock.acquireSync", () => new Lock().acquireSync({ timout: 5 } as never)],
      ["RLock.acquireSync", () => new RLock().acquireSync({ timout: 5 } as never)],
      ["Semaphore.acquireSync", () => new Semaphore(0).acquireSync({ timout: 5 } as never)],
      ["Event.waitSync", () => new Event().waitSync({ timeOut: 5 } as never)],
      ["Barrier.waitSync", () => new Barrier(2).waitSync({ timout: 5 } as never)],
    ];
    for (const [who, call] of cases) {
      const e = thrownBy(call);
      expect(e, who).toBeInstanceOf(TypeError);
      expect(e.message, who).toMatch(
        new RegExp(
          `^${who.replace(".", "\\.")} options: unknown option "(timout|timeOut)" \\(did you mean "timeout"\\?\\); valid options: timeout, signal$`,
        ),
      );
    }
  });

  it("awaited waits reject instead of waiting for ever", async () => {
    const cond = new Condition();
    await cond.acquire();
    const cases: [string, () => Promise<unknown>][] = [
      ["Lock.acquire", () => new Lock().acquire({ timout: 5 } as never)],
      ["RLock.acquire", () => new RLock().acquire({ timout: 5 } as never)],
      ["Semaphore.acquire", () => new Semaphore(0).acquire({ timout: 5 } as never)],
      ["Event.wait", () => new Event().wait({ timout: 5 } as never)],
      ["Barrier.wait", () => new Barrier(2).wait({ timout: 5 } as never)],
      ["Condition.wait", () => cond.wait({ timout: 5 } as never)],
      ["Condition.waitFor", () => cond.waitFor(() => false, { timout: 5 } as never)],
      ["withLocks", () => withLocks([new Lock()], () => 1, { timout: 5 } as never)],
      ["withLock", () => withLock(new Lock(), () => 1, { timout: 5 } as never)],
    ];
    for (const [who, call] of cases) {
      const e = await call().then(
        () => new Error("resolved"),
        (err: Error) => err,
      );
      expect(e, who).toBeInstanceOf(TypeError);
      expect(e.message, who).toMatch(/options: unknown option "timout" \(did you mean "timeout"\?\)/);
    }
    cond.release();
  });

  it("marshal.encode refuses unknown options and wrongly typed ones", () => {
    expect(thrownBy(() => marshal.encode(1, { crossProces: true } as never)).message).toMatch(
      /^marshal\.encode options: unknown option "crossProces" \(did you mean "crossProcess"\?\)/,
    );
    expect(thrownBy(() => marshal.encode(1, { path: 3 } as never))).toBeInstanceOf(TypeError);
    expect(thrownBy(() => marshal.encode(1, { crossProcess: "yes" } as never))).toBeInstanceOf(TypeError);
    expect(marshal.encode(1, { path: "x", crossProcess: false })).toBe(1);
  });

  it("known keys still work, with or without a value", async () => {
    expect(await new Event().wait({ timeout: 1, signal: undefined })).toBe(false);
    expect(new Lock({ memory: undefined, waiter: undefined }).locked()).toBe(false);
    expect(await new Lock().acquire({ timeout: undefined })).not.toBe(false);
  });
});
