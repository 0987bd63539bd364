import { DistributedExecutor, DistributedLock, PoolOptionError } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { redisUrl } from "./helpers.js";

// Values of the connection options that weft can check at once are checked: a `db` that is not a database
// number such as "x" was read by ioredis as none (database 0, silently); a credential that is not
// a string went to AUTH as it was. The message names the key and the type, never the value of a credential.
describe("connection option values", () => {
  it.each([
    ["db", "x", /connection\.db must be an integer >= 0/],
    ["db", -1, /connection\.db must be an integer >= 0/],
    ["db", 1.5, /connection\.db must be an integer >= 0/],
    ["username", 5, /connection\.username must be a string, got number/],
    ["password", 12345, /connection\.password must be a string, got number/],
    ["path", 5, /connection\.path must be a string, got number/],
    ["port", "6379", /connection\.port must be a TCP port \(1-65535\), got "6379"/],
  ])("a bad %s is a PoolOptionError", (key, value, message) => {
    for (const make of [
      () => new DistributedExecutor({ connection: { host: "127.0.0.1", [key]: value }, queue: "q" }),
      () => new DistributedLock({ connection: { host: "127.0.0.1", [key]: value }, name: "n" }),
    ]) {
      const err = thrownBy(make);
      expect(err).toBeInstanceOf(PoolOptionError);
      expect(err.message).toMatch(message);
      if (key === "password") expect(err.message).not.toContain("12345");
    }
  });

  it("good values pass (null credentials as ioredis's defaults are)", async () => {
    const { port } = new URL(redisUrl());
    await new DistributedLock({
      connection: { host: "127.0.0.1", port: Number(port), db: 0, username: null as never, password: "" },
      name: "n",
    }).close();
  });
});
