import { DistributedExecutor, PoolOptionError, RedisConnectionError, serveQueue } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { closedPort, fixtures, redisUrl, task } from "./helpers.js";

describe("bad connection settings", () => {
  it("an unreachable server fails the futures with RedisConnectionError (no secret in it), then the executor is broken", async () => {
    const port = await closedPort();
    const ex = new DistributedExecutor({
      connection: `redis://worker:s3cr3t-pw@127.0.0.1:${port}`,
      queue: "q",
      connectTimeout: 500,
    });
    const err = (await ex.submit(task("add"), 1, 2).exception()) as RedisConnectionError;
    expect(err).toBeInstanceOf(RedisConnectionError);
    expect(err.server).toBe(`127.0.0.1:${port}`);
    expect(err.message).toMatch(/could not reach Redis at 127\.0\.0\.1:\d+ within 500 ms \(ECONNREFUSED\)/);
    expect(JSON.stringify({ m: err.message, s: err.stack })).not.toContain("s3cr3t");
    expect(thrownBy(() => ex.submit(task("add"), 1, 2)).name).toBe("BrokenExecutorError");
    await ex.shutdown();
  });

  it("serveQueue rejects with RedisConnectionError within its connectTimeout", async () => {
    const port = await closedPort();
    await expect(
      serveQueue({
        connection: { host: "127.0.0.1", port },
        queue: "q",
        tasks: [fixtures],
        connectTimeout: 500,
      }),
    ).rejects.toBeInstanceOf(RedisConnectionError);
  });

  it("malformed settings and unknown options are PoolOptionErrors at once", () => {
    const make = (options: object) => thrownBy(() => new DistributedExecutor(options as never));
    expect(make({ connection: "http://127.0.0.1:6379", queue: "q" })).toBeInstanceOf(PoolOptionError);
    expect(make({ connection: "not a url", queue: "q" }).message).toMatch(/is not a URL/);
    expect(make({ connection: { port: 70000 }, queue: "q" }).message).toMatch(/TCP port/);
    expect(make({ connection: "redis://127.0.0.1", queue: "a:b" }).message).toMatch(/queue must be/);
    expect(make({ connection: "redis://127.0.0.1", queue: "q", concurency: 2 }).message).toMatch(
      /unknown option/,
    );
    expect(make({ connection: "redis://127.0.0.1", queue: "q", attempt: 2 }).message).toMatch(
      /did you mean "attempts"/,
    );
    expect(make({ connection: "redis://u:pw-secret@127.0.0.1:x/0", queue: "q" }).message).not.toContain(
      "pw-secret",
    );
  });
});

describe("settings that retrying cannot fix", () => {
  it("refused credentials fail at once (not after connectTimeout), naming the cause but not the password", async () => {
    const { port } = new URL(redisUrl());
    const ex = new DistributedExecutor({
      connection: `redis://someone:not-the-pw-42@127.0.0.1:${port}`,
      queue: "q",
      connectTimeout: 120_000, // far beyond the test's timeout: only the fast path can pass
    });
    const err = (await ex.submit(task("add"), 1, 2).exception()) as RedisConnectionError;
    expect(err).toBeInstanceOf(RedisConnectionError);
    expect(err.message).toMatch(/WRONGPASS/);
    expect(JSON.stringify({ m: err.message, s: err.stack })).not.toContain("not-the-pw-42");
    await ex.shutdown();
    await expect(
      serveQueue({
        connection: `redis://someone:pw@127.0.0.1:${port}`,
        queue: "q",
        tasks: [fixtures],
        connectTimeout: 120_000,
      }),
    ).rejects.toBeInstanceOf(RedisConnectionError);
  });
});
