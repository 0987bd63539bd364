import { DistributedExecutor, MarshalError } from "@weft/distributed";
import { Lock } from "@weft/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { freshQueue, redisUrl, serveHere, task } from "./helpers.js";

const queue = freshQueue("refused");
let ex: DistributedExecutor;
beforeAll(async () => {
  await serveHere(queue, { maxPayloadBytes: 4096 });
  ex = new DistributedExecutor({ connection: redisUrl(), queue, maxPayloadBytes: 4096 });
});
afterAll(() => ex.shutdown());

function marshalError(fn: () => unknown): MarshalError {
  const err = thrownBy(fn);
  expect(err).toBeInstanceOf(MarshalError);
  return err as MarshalError;
}

describe("values that cannot cross are refused at submit, naming their path", () => {
  it("functions, symbols, class instances, shared memory and weft primitives", () => {
    expect(marshalError(() => ex.submit(task("echo"), { cb: () => 1 } as never)).path).toBe("args[0].cb");
    expect(marshalError(() => ex.submit(task("add"), 1, Symbol("s") as never)).path).toBe("args[1]");
    class Point {
      x = 1;
    }
    expect(marshalError(() => ex.submit(task("echo"), [new Point()] as never)).path).toBe("args[0][0]");
    expect(marshalError(() => ex.submit(task("echo"), { buf: new SharedArrayBuffer(8) } as never)).path).toBe(
      "args[0].buf",
    );
    const lock = marshalError(() => ex.submit(task("echo"), { guard: new Lock() } as never));
    expect(lock.path).toBe("args[0].guard");
    expect(lock.message).toMatch(/cannot cross to another machine/);
    expect(ex.stats.pending).toBe(0); // nothing was queued
  });

  it("oversize arguments name the largest one and the limit", () => {
    const err = marshalError(() => ex.submit(task("add"), 1, new Uint8Array(10_000) as never));
    expect(err.path).toBe("args[1]");
    expect(err.message).toMatch(/maxPayloadBytes \(4096\)/);
  });

  it("a result that cannot cross (or is too large) fails its future with a MarshalError naming result...", async () => {
    const bad = (await ex.submit(task("unsendable")).exception()) as MarshalError;
    expect(bad).toBeInstanceOf(MarshalError);
    expect(bad.path).toBe("result.callback");
    const big = (await ex.submit(task("bigResult"), 10_000).exception()) as MarshalError;
    expect(big).toBeInstanceOf(MarshalError);
    expect(big.path).toBe("result");
    expect(await ex.submit(task("add"), 1, 2)).toBe(3); // the worker carries on
  });
});
