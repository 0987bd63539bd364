import { DistributedExecutor, serveQueue } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { fixtures, redisUrl } from "./helpers.js";

// Every bad value given to new DistributedExecutor / serveQueue is an error whose message starts with
// "<who> options: <key>", as their unknown-key and connection errors do (and the per-call options'
// "submitWith options: ..."), so it says where the bad value was given.
describe("option errors name the options they are in", () => {
  it.each([
    ["queue", ""],
    ["prefix", "a:b"],
    ["connectTimeout", Number.NaN],
    ["maxPayloadBytes", 1],
    ["maxQueue", 0],
    ["whenFull", "later"],
    ["attempts", 0],
    ["keepResults", 0],
    ["reconcileInterval", 5],
    ["onError", 5],
  ])("DistributedExecutor: a bad %s", (key, value) => {
    const err = thrownBy(() => new DistributedExecutor({ connection: redisUrl(), queue: "q", [key]: value }));
    expect(err.name).toMatch(/PoolOptionError|InvalidTimeoutError/);
    expect(err.message.startsWith(`DistributedExecutor options: ${key} must be`)).toBe(true);
  });

  it.each([
    ["queue", ""],
    ["prefix", "a:b"],
    ["concurrency", 0],
    ["connectTimeout", -1],
    ["maxPayloadBytes", 1],
    ["lockDuration", 1],
    ["stalledInterval", "x"],
    ["maxStalledCount", -1],
    ["onError", 5],
  ])("serveQueue: a bad %s", async (key, value) => {
    const err = (await serveQueue({
      connection: redisUrl(),
      queue: "q",
      tasks: [fixtures],
      [key]: value,
    } as never).catch((e: unknown) => e)) as Error;
    expect(err.name).toMatch(/PoolOptionError|InvalidTimeoutError/);
    expect(err.message.startsWith(`serveQueue options: ${key} must be`)).toBe(true);
  });
});
