import { Future, PoolOptionError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";

// typeof null is "object": a message that prints typeof would say "got object" for null.
describe("an option value of null is named null", () => {
  it("name of ThreadPoolExecutor, signal of submitWith and of result()", async () => {
    expect(() => new ThreadPoolExecutor({ name: null as never })).toThrow(
      new PoolOptionError("name must be a string (the prefix of worker thread names), got null"),
    );
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      expect(() => pool.submitWith({ signal: null as never }, () => 1)).toThrow(
        new PoolOptionError(
          "submitWith options: signal must be an AbortSignal (e.g. new AbortController().signal), got null",
        ),
      );
    } finally {
      await pool.shutdown();
    }
    await expect(new Future<number>().result({ signal: null as never })).rejects.toThrow(
      new PoolOptionError("Future.result: signal must be an AbortSignal, got null"),
    );
  });
});
