import { DistributedLock, DistributedSemaphore, PoolOptionError } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { redisUrl } from "./helpers.js";

// Every option error of DistributedLock / DistributedSemaphore starts with "<Class> options:", as their
// unknown-key and connection errors do, so the message says which constructor was given the bad value.
describe.each([
  [
    "DistributedLock",
    (o: object) => new DistributedLock({ connection: redisUrl(), name: "n", ...o } as never),
  ],
  [
    "DistributedSemaphore",
    (o: object) => new DistributedSemaphore({ connection: redisUrl(), name: "n", permits: 1, ...o } as never),
  ],
] as const)("%s", (who, make) => {
  it.each([
    ["lease", { lease: 5 }],
    ["lease", { lease: Number.NaN }],
    ["lease", { lease: "10s" }],
    ["name", { name: undefined }],
    ["name", { name: "a:b" }],
    ["prefix", { prefix: "" }],
  ])("a bad %s is a PoolOptionError prefixed with the class's options", (key, bad) => {
    const err = thrownBy(() => make(bad));
    expect(err).toBeInstanceOf(PoolOptionError);
    expect(err.message.startsWith(`${who} options: ${key} must be`)).toBe(true);
  });
});
