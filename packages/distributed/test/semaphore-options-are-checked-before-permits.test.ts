import { DistributedSemaphore, PoolOptionError } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { redisUrl } from "./helpers.js";

// DistributedSemaphore checks its options object as DistributedLock does: something that is not an object,
// or a misspelt key, is named as such (not reported as a missing `permits`), and `permits` is a valid name.
describe("DistributedSemaphore options", () => {
  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "redis://127.0.0.1"],
  ])("%s is a PoolOptionError saying the options must be an object", (_, options) => {
    const err = thrownBy(() => new DistributedSemaphore(options as never));
    expect(err).toBeInstanceOf(PoolOptionError);
    expect(err.message).toMatch(/^DistributedSemaphore options must be an object/);
  });

  it("a misspelt permits is an unknown option with the nearest name", () => {
    const err = thrownBy(
      () => new DistributedSemaphore({ connection: redisUrl(), name: "n", permit: 2 } as never),
    );
    expect(err).toBeInstanceOf(PoolOptionError);
    expect(err.message).toMatch(
      /^DistributedSemaphore options: unknown option "permit" \(did you mean "permits"\?\)/,
    );
    expect(err.message).toMatch(/valid options: .*permits/);
  });
});
