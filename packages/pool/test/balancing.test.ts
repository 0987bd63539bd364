import { ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

describe("balancing posted tasks between workers", () => {
  it("an idle worker takes over tasks stuck behind a long one on another worker", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2, window: 8 });
    const spin = fixture<(ms: number) => number>("spin");
    await Promise.all([pool.submit(spin, 1), pool.submit(spin, 1)]); // both workers up
    const long = pool.submit(spin, 1500);
    const shorts = Array.from({ length: 15 }, () => pool.submit(spin, 10));
    // 16 tasks, 8 posted to each worker: 7 shorts sit behind the long task unless they are taken back
    const longThread = await long;
    const threads = await Promise.all(shorts);
    const behindLong = threads.filter((t) => t === longThread).length;
    expect(behindLong).toBeLessThan(7);
    expect(threads).toHaveLength(15);
  });
});
