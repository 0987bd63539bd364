import { DistributedExecutor } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, task } from "./helpers.js";

// cancel() removes a waiting job in the background; a submit with the same jobId right after it was added to
// that job (still there), which the removal then deleted, so the new future failed with JobRemovedError
// (telling the caller to submit it again) and its task never ran.
describe("a jobId cancelled while waiting and submitted again at once", () => {
  it("runs the new submit's task", async () => {
    const queue = freshQueue("again");
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    const first = ex.submitWith({ jobId: "order-1" }, task("add"), 1, 1);
    await expect(first.result({ timeout: 300 })).rejects.toThrow(); // added, waiting: no worker serves yet
    expect(first.cancel()).toBe(true);
    const again = ex.submitWith({ jobId: "order-1" }, task("add"), 2, 2);
    await serveHere(queue);
    expect(await again.result({ timeout: 20_000 })).toBe(4);
  });
});
