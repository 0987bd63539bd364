import { PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

type Names = { name: string; ident: number; threadId: number; child: string };

describe("currentThread() inside a pool task", () => {
  it("is named after the pool's name and the worker's index (Python: SpecialPool_0)", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2, name: "SpecialPool" });
    const seen = await Promise.all(
      Array.from({ length: 8 }, () => pool.submit(fixture<() => Names>("threadNames"))),
    );
    for (const s of seen) {
      expect(s.name).toMatch(/^SpecialPool_[01]$/);
      expect(s.ident).toBe(s.threadId);
      expect(s.child).toBe("from-task");
    }
  });

  it("defaults to ThreadPoolExecutor-N_index, not Dummy-<threadId>", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const { name } = await pool.submit(fixture<() => Names>("threadNames"));
    expect(name).toMatch(/^ThreadPoolExecutor-\d+_0$/);
  });

  it("an empty name means the default prefix (Python: thread_name_prefix='' gives ThreadPoolExecutor-N)", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, name: "" });
    const { name } = await pool.submit(fixture<() => Names>("threadNames"));
    expect(name).toMatch(/^ThreadPoolExecutor-\d+_0$/);
  });

  it("rejects a name that is not a string", () => {
    expect(() => new ThreadPoolExecutor({ name: 42 as never })).toThrow(PoolOptionError);
  });
});
