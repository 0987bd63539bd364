import { DistributedExecutor } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, redisUrl, serveHere, task } from "./helpers.js";

const tick = () => new Promise((r) => setImmediate(r));

describe("cancelling a future that joined a finished jobId", () => {
  it("keeps that job and its result in Redis: the next submit with the jobId does not run the task again", async () => {
    const queue = freshQueue("cancel-finished-id");
    const server = await serveHere(queue);
    await using ex = new DistributedExecutor({ connection: redisUrl(), queue });
    // Cancel at several points after the submit: before the job is added, between adding it (which adds
    // nothing: the job exists) and reading its outcome, and after.
    for (let delay = 0; delay < 6; delay++) {
      const jobId = `charge-${delay}`;
      expect((await ex.submitWith({ jobId }, task("whoRuns"), 0, "charged")).value).toBe("charged");
      const joined = ex.submitWith({ jobId }, task("whoRuns"), 0, "charged");
      for (let k = 0; k < delay; k++) await tick();
      joined.cancel();
      await new Promise((r) => setTimeout(r, 50));
      expect((await ex.submitWith({ jobId }, task("whoRuns"), 0, "charged")).value).toBe("charged");
      expect(server.stats.completed).toBe(delay + 1); // each jobId ran once
    }
  });
});
