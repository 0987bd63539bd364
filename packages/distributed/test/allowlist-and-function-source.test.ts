import { DistributedExecutor, moduleTask, TaskNotAllowedError } from "@weft/distributed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures, freshQueue, redisUrl, serveHere, type Tasks } from "./helpers.js";

const queue = freshQueue("allow");
let ex: DistributedExecutor;
beforeAll(async () => {
  await serveHere(queue, { tasks: { fixtures } }); // also served under the name "fixtures"
  ex = new DistributedExecutor({ connection: redisUrl(), queue });
});
afterAll(() => ex.shutdown());

describe("a worker runs only what it serves", () => {
  it("function source is refused by default (it would be remote code execution)", async () => {
    const err = await ex.submit((a: number) => a + 1, 1).exception();
    expect(err).toBeInstanceOf(TaskNotAllowedError);
    expect((err as Error).message).toMatch(/remote code execution/);
  });

  it("a module outside the allowlist is refused; a served one runs, by URL or by its name", async () => {
    const other = moduleTask(new URL("./helpers.js", import.meta.url), "freshQueue");
    const err = await ex.submit(other).exception();
    expect(err).toBeInstanceOf(TaskNotAllowedError);
    expect(await ex.submit(moduleTask<Tasks["add"]>(fixtures, "add"), 2, 3)).toBe(5);
    expect(await ex.submit(moduleTask<Tasks["add"]>("fixtures", "add"), 4, 3)).toBe(7);
  });

  it("an export that is not a function is a TargetError", async () => {
    const err = (await ex.submit(moduleTask(fixtures, "missing")).exception()) as Error & { code: string };
    expect(err.code).toBe("ERR_WEFT_TARGET");
    expect(err.message).toMatch(/no exported function named "missing"/);
  });

  it("a module in the allowlist that cannot be imported fails serveQueue at once", async () => {
    await expect(serveHere(freshQueue(), { tasks: ["./no-such-module.js"] })).rejects.toMatchObject({
      code: "ERR_WEFT_TARGET",
    });
  });
});
