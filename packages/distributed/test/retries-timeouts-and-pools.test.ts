import { asCompleted, DistributedExecutor, TaskTimeoutError, wait } from "@weft/distributed";
import { ThreadPoolExecutor } from "@weft/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { thrownBy } from "../../pool/test/conformance/test-support.js";
import { freshQueue, redisUrl, serveHere, task } from "./helpers.js";

const queue = freshQueue("retries");
let ex: DistributedExecutor;
beforeAll(async () => {
  await serveHere(queue, { concurrency: 2 });
  ex = new DistributedExecutor({ connection: redisUrl(), queue });
});
afterAll(() => ex.shutdown());

describe("per-task options", () => {
  it("attempts: a task that throws is tried again, up to attempts in all; then its error is the outcome", async () => {
    expect(await ex.submitWith({ attempts: 3 }, task("flaky"), 2)).toBe(3);
    const err = await ex.submitWith({ attempts: 2 }, task("flaky"), 100).exception();
    expect((err as Error).message).toMatch(/flaky call/);
  });

  it("timeout: a task running past it fails with TaskTimeoutError and its signal aborts", async () => {
    const err = await ex.submitWith({ timeout: 100 }, task("sleep"), 30_000, "late").exception();
    expect(err).toBeInstanceOf(TaskTimeoutError);
  });

  it("priority orders waiting jobs; unknown and bad per-task options are typed errors", async () => {
    expect(await ex.submitWith({ priority: 1 }, task("add"), 1, 1)).toBe(2);
    expect(thrownBy(() => ex.submitWith({ priority: 0 }, task("add"), 1, 1)).name).toBe("PoolOptionError");
    expect(thrownBy(() => ex.submitWith({ jobId: "123" }, task("add"), 1, 1)).message).toMatch(
      /not only digits/,
    );
    expect(thrownBy(() => ex.submitWith({ transfer: [] } as never, task("add"), 1, 1)).message).toMatch(
      /unknown option "transfer"/,
    );
  });

  it("futures mix with a thread pool's in asCompleted and wait", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const mixed = [ex.submit(task("sleep"), 50, "remote"), pool.submit((x: string) => x, "local")];
    const seen: unknown[] = [];
    for await (const f of asCompleted(mixed)) seen.push(await f);
    expect(seen.sort()).toEqual(["local", "remote"]);
    const { done } = await wait(mixed);
    expect(done.size).toBe(2);
  });
});

describe("a worker that runs its jobs in a weft thread pool", () => {
  it("module tasks run in the pool's threads; the job's timeout stops a task that ignores it", async () => {
    const q = freshQueue("pooled");
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    await serveHere(q, { executor: pool, concurrency: 2 });
    await using pooled = new DistributedExecutor({ connection: redisUrl(), queue: q });
    expect(await pooled.submit(task("add"), 40, 2)).toBe(42);
    const spin = await pooled.submitWith({ timeout: 200 }, task("sleep"), 30_000, "x").exception();
    expect(spin).toBeInstanceOf(TaskTimeoutError);
  });
});
