import { DistributedExecutor, DistributedLock, PoolOptionError, serveQueue } from "@weft/distributed";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { fixtures } from "./helpers.js";

// An unknown key inside `connection` (ioredis options) is an error naming the key and the nearest valid
// name, as an unknown option anywhere else in weft is: ioredis would silently ignore a misspelt "pasword".
describe("unknown keys in the connection option", () => {
  it("DistributedExecutor: a misspelt key is a PoolOptionError naming it and the nearest ioredis option", () => {
    const err = thrownBy(
      () => new DistributedExecutor({ connection: { host: "127.0.0.1", pasword: "x" } as never, queue: "q" }),
    );
    expect(err).toBeInstanceOf(PoolOptionError);
    expect(err.message).toMatch(/^DistributedExecutor options: unknown connection option "pasword"/);
    expect(err.message).toContain('did you mean "password"?');
    expect(err.message).not.toContain('"x"'); // never the value: it may be a secret
  });

  it("DistributedLock and serveQueue check the keys the same way; a far-off key gets no suggestion", async () => {
    const lock = thrownBy(
      () => new DistributedLock({ connection: { hots: "127.0.0.1" } as never, name: "n" }),
    );
    expect(lock).toBeInstanceOf(PoolOptionError);
    expect(lock.message).toMatch(
      /^DistributedLock options: unknown connection option "hots" \(did you mean "host"\?\)/,
    );
    const served = await serveQueue({
      connection: { port: 6379, somethingElse: 1 } as never,
      queue: "q",
      tasks: [fixtures],
    }).catch((e: unknown) => e as Error);
    expect(served).toBeInstanceOf(PoolOptionError);
    expect((served as Error).message).toMatch(
      /^serveQueue options: unknown connection option "somethingElse"/,
    );
    expect((served as Error).message).not.toContain("did you mean");
  });

  it("every option the installed ioredis has a default for, and typed options without one, are accepted", async () => {
    const defaults = (Redis as unknown as { defaultOptions: object }).defaultOptions;
    const keys = [
      ...Object.keys(defaults),
      "tls",
      "commandTimeout",
      "socketTimeout",
      "sentinelPassword",
      "path",
    ];
    expect(keys.length).toBeGreaterThan(20);
    const connection = Object.fromEntries(keys.map((k) => [k, undefined]));
    // (A lock connects only when it acquires.)
    await new DistributedLock({ connection, name: "n" }).close();
  });
});
