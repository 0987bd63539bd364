import { TargetError, ThreadOptionError, Timer, WorkerEntryError } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./thrown-by.js";

// A Timer is built on a Thread, but a bad argument of `new Timer(...)` is reported as one of that call, not of a
// `new Thread({ ... })` the user never wrote.
describe("bad arguments of new Timer(...) are named as Timer's", () => {
  const target = () => 1;

  it("target and args", () => {
    const args = thrownBy(() => new Timer(1, target, "x" as never));
    expect(args).toBeInstanceOf(ThreadOptionError);
    expect(args.message).toBe("new Timer(interval, target, args): args must be an array, got string.");
    expect(thrownBy(() => new Timer(1, target, { name: "t" } as never)).message).toBe(
      "new Timer(interval, target, args): args must be an array, got object (options come fourth: " +
        "new Timer(interval, target, [], options)).",
    );
    const bad = thrownBy(() => new Timer(1, 5 as never));
    expect(bad).toBeInstanceOf(TargetError);
    expect(bad.message).toBe(
      "new Timer(interval, target): target must be a function or { module, export }, got number.",
    );
    expect(thrownBy(() => new Timer(1, undefined as never)).message).toBe(
      "new Timer(interval, target): target is missing: pass a function or { module, export }.",
    );
  });

  it("the options object and each option", () => {
    expect(thrownBy(() => new Timer(1, target, [], null as never)).message).toBe(
      "new Timer(interval, target, args, options): options must be an object such as { name, daemon }, got null.",
    );
    expect(thrownBy(() => new Timer(1, target, [], [] as never)).message).toMatch(/, got an array\.$/);
    expect(thrownBy(() => new Timer(1, target, [], { name: 3 as never })).message).toBe(
      "new Timer(interval, target, args, { name }): name must be a string, got number.",
    );
    expect(thrownBy(() => new Timer(1, target, [], { daemon: null as never })).message).toBe(
      "new Timer(interval, target, args, { daemon }): daemon must be a boolean, got null.",
    );
    const entry = thrownBy(() => new Timer(1, target, [], { workerEntry: 5 as never }));
    expect(entry).toBeInstanceOf(WorkerEntryError);
    expect(entry.message).toMatch(/^new Timer\(interval, target, args, \{ workerEntry \}\) must be/);
    const limits = thrownBy(() => new Timer(1, target, [], { resourceLimits: [] as never }));
    expect(limits).toBeInstanceOf(ThreadOptionError);
    expect(limits.message).toMatch(
      /^new Timer\(interval, target, args, \{ resourceLimits \}\) must be an object/,
    );
  });

  it("no message names new Thread", () => {
    for (const fn of [
      () => new Timer(1, target, "x" as never),
      () => new Timer(1, null as never),
      () => new Timer(1, target, [], { name: 1 as never }),
      () => new Timer(1, target, [], { workerEntry: "relative.js" }),
      () => new Timer(1, target, [], { resourceLimits: { stackSizeMb: -1 } }),
    ]) {
      expect(thrownBy(fn).message).not.toMatch(/Thread/);
    }
  });
});
