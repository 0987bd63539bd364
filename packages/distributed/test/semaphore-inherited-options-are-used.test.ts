import { DistributedSemaphore, PoolOptionError } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { redisUrl } from "./helpers.js";

// The option check counts inherited keys as given (for...in), so they must be used as given too: a rest
// pattern would copy only the own ones, and the semaphore would run with defaults it was not asked for.
describe("DistributedSemaphore options inherited from a prototype", () => {
  it("are checked and used like own ones", async () => {
    const bad = Object.assign(Object.create({ lease: -1 }), {
      connection: redisUrl(),
      name: "n",
      permits: 2,
    });
    const err = thrownBy(() => new DistributedSemaphore(bad));
    expect(err).toBeInstanceOf(PoolOptionError);
    expect(err.message).toMatch(/^DistributedSemaphore options: lease/);
    const good = Object.assign(Object.create({ connection: redisUrl(), name: "inherited" }), { permits: 2 });
    await using semaphore = new DistributedSemaphore(good);
    const slot = await semaphore.acquire({ timeout: 5000 });
    expect(slot.token).toBeGreaterThan(0);
    await slot.release();
  });
});
