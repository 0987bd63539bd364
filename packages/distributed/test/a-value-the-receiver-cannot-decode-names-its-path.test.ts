import { DistributedExecutor, MarshalError } from "@weft/distributed";
import { registerMarshaller } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, startWorker, task } from "./helpers.js";

// A kind registered with registerMarshaller in this process only: the worker process cannot rebuild it. The
// job fails with a MarshalError that names the argument as submit() would (args[...]), not the codec's root.
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
registerMarshaller("distributed-test-point", {
  test: (v): v is Point => v instanceof Point,
  encode: (p: Point) => [p.x, p.y],
  decode: ([x, y]: [number, number]) => new Point(x, y),
});

describe("an argument the worker cannot decode", () => {
  it("fails its job with a MarshalError naming args[...]", async () => {
    const queue = freshQueue("undecodable");
    await startWorker(queue);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const error = await ex
      .submit(task("echo"), { at: [new Point(1, 2)] } as never)
      .exception({ timeout: 20_000 });
    expect(error).toBeInstanceOf(MarshalError);
    expect((error as MarshalError).path).toBe("args[0].at[0]");
    expect((error as MarshalError).message).toContain('args[0].at[0] is an encoded "distributed-test-point"');
    expect(await ex.submit(task("add"), 1, 2)).toBe(3);
  }, 30_000);
});
