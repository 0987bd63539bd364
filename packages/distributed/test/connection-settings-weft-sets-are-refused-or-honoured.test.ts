import { DistributedExecutor, DistributedLock, PoolOptionError } from "@weft/distributed";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { freshQueue, redisUrl } from "./helpers.js";

// weft sets lazyConnect, maxRetriesPerRequest and connectionName on every client it makes. A value the user
// gives for one of them is never dropped silently: a conflicting one is refused, a connectionName is kept.
describe("connection options that weft sets itself", () => {
  it("lazyConnect is refused, whatever its value", () => {
    for (const lazyConnect of [true, false]) {
      const err = thrownBy(
        () => new DistributedExecutor({ connection: { port: 6379, lazyConnect }, queue: "q" }),
      );
      expect(err).toBeInstanceOf(PoolOptionError);
      expect(err.message).toMatch(/^DistributedExecutor options: connection\.lazyConnect cannot be set/);
    }
    const lock = thrownBy(() => new DistributedLock({ connection: { lazyConnect: true }, name: "n" }));
    expect(lock).toBeInstanceOf(PoolOptionError);
    expect(lock.message).toMatch(/^DistributedLock options: connection\.lazyConnect cannot be set/);
  });

  it("maxRetriesPerRequest must be null (BullMQ's requirement) or left out", async () => {
    const err = thrownBy(
      () => new DistributedLock({ connection: { port: 6379, maxRetriesPerRequest: 3 }, name: "n" }),
    );
    expect(err).toBeInstanceOf(PoolOptionError);
    expect(err.message).toMatch(
      /^DistributedLock options: connection\.maxRetriesPerRequest must be null or left out, got 3/,
    );
    await new DistributedLock({ connection: { port: 6379, maxRetriesPerRequest: null }, name: "n" }).close();
  });

  it("a connectionName prefixes the names of weft's clients", async () => {
    const url = new URL(redisUrl());
    const connection = { host: url.hostname, port: Number(url.port), connectionName: "billing" };
    const queue = freshQueue("named");
    const executor = new DistributedExecutor({ connection, queue });
    const admin = new Redis(redisUrl());
    try {
      await executor.ready();
      const clients = String(await admin.client("LIST"));
      expect(clients).toContain(`name=billing:weft:${queue}:executor `);
      expect(clients).not.toMatch(new RegExp(`name=weft:${queue}:executor `));
    } finally {
      await executor.shutdown({ wait: false, cancelFutures: true });
      admin.disconnect();
    }
    expect(
      thrownBy(() => new DistributedLock({ connection: { connectionName: 7 } as never, name: "n" })).message,
    ).toMatch(/connection\.connectionName must be a non-empty string/);
  });
});
