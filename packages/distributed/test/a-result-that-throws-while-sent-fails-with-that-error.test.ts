import { DistributedExecutor, JobFailedError } from "@weft/distributed";
import { MarshalError } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere } from "./helpers.js";

// A result (or a thrown error) whose reading throws, e.g. a getter, made the worker's processor throw: BullMQ
// failed the job and the future rejected with JobFailedError, whose message blames stalled workers. The thread
// pools fail such a future with a MarshalError naming the path, caused by the getter's error (or with the
// getter's error, for a thrown error's own properties); so does a DistributedExecutor now.
describe("a task outcome that throws while it is encoded", () => {
  it("fails its future with that error, for a result and for a thrown error", async () => {
    const queue = freshQueue("getter");
    await serveHere(queue, { allowFunctionSource: true });
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const result = ex.submit(() => ({
      get bad(): number {
        throw new RangeError("getter of the result");
      },
    }));
    const thrown = ex.submit(() => {
      const e = new Error("hidden");
      Object.defineProperty(e, "message", {
        get() {
          throw new TypeError("getter of the message");
        },
      });
      throw e;
    });
    const a = await result.exception({ timeout: 20_000 });
    expect(a).not.toBeInstanceOf(JobFailedError);
    expect(a).toBeInstanceOf(MarshalError);
    expect((a as MarshalError).path).toBe("result.bad");
    expect((a as Error).cause).toBeInstanceOf(RangeError);
    expect(((a as Error).cause as Error).message).toBe("getter of the result");
    const b = await thrown.exception({ timeout: 20_000 });
    expect(b).not.toBeInstanceOf(JobFailedError);
    expect(b).toBeInstanceOf(TypeError);
    expect((b as Error).message).toBe("getter of the message");
  });

  it("in a map chunk, fails only that call", async () => {
    const queue = freshQueue("getter-map");
    await serveHere(queue, { allowFunctionSource: true });
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const got: unknown[] = [];
    const run = ex.mapWith(
      { chunksize: 3 },
      (n: number) =>
        n === 1
          ? {
              get bad(): number {
                throw new RangeError(`getter ${n}`);
              },
            }
          : n,
      [0, 1, 2],
    );
    await expect(
      (async () => {
        for await (const v of run) got.push(v);
      })(),
    ).rejects.toThrow(MarshalError);
    expect(got).toEqual([0]);
  });
});
