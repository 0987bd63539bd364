import { ThreadPoolExecutor } from "@weft/pool";
import { MarshalError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Found by the bad-input soak: a Proxy argument is documented to be refused at submit with a MarshalError
// naming its path, but the fast checks before the marshal walk (the transfer() mark, `instanceof ArrayBuffer`)
// ran its traps first, so a Proxy whose traps throw, or a revoked one, escaped submit() (and the executor's
// constructor, as an initializer argument) with the trap's own error or a TypeError.
const throwing = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error("get trap");
      },
      getPrototypeOf() {
        throw new Error("getPrototypeOf trap");
      },
    },
  );
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

describe("a Proxy whose traps throw is refused with a MarshalError naming its path", () => {
  it.each([
    ["throwing traps", throwing],
    ["revoked", revoked],
  ])("as an argument (%s)", async (_name, make) => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    let err: unknown;
    try {
      pool.submit(fixture("identity"), make());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MarshalError);
    expect((err as MarshalError).path).toBe("args[0]");
    expect(await pool.submit(fixture("identity"), 7)).toBe(7);
  });

  it("as an initializer argument", () => {
    let err: unknown;
    try {
      new ThreadPoolExecutor({ initializer: fixture("init"), initArgs: [throwing()] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MarshalError);
    expect((err as MarshalError).path).toBe("initArgs[0]");
  });
});
