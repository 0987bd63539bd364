import { moduleTask, WorkerEntryError as PoolWorkerEntryError, ThreadPoolExecutor } from "@weft/pool";
import { InvalidTimeoutError, MarshalError, TimeoutError } from "@weft/sync";
import { WorkerEntryError } from "@weft/threads";
import { describe, expect, it } from "vitest";

// @weft/pool's built files carry their own copy of the modules they use from @weft/threads' and @weft/sync's
// extension APIs: an error they throw, or rebuild from a worker, must still be an instance of the class as the
// user imports it from the package that defines it.
describe("errors from the pool are instances of their packages' classes", () => {
  it("a missing worker entry is a WorkerEntryError of @weft/threads and of @weft/pool", () => {
    let thrown: unknown;
    try {
      new ThreadPoolExecutor({ workerEntry: "/no/such/dir/pool-worker.js" });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(WorkerEntryError);
    expect(thrown).toBeInstanceOf(PoolWorkerEntryError);
  });

  it("a bad timeout is an InvalidTimeoutError of @weft/sync, the class itself", () => {
    let thrown: unknown;
    try {
      new ThreadPoolExecutor({ taskTimeout: -1 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidTimeoutError);
    expect((thrown as Error).constructor).toBe(InvalidTimeoutError);
  });

  it("a weft error a task throws comes back as its @weft/sync class", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const throwing = moduleTask(new URL("./fixtures/throw-weft-errors.mjs", import.meta.url), "throwTimeout");
    const err = await pool.submit(throwing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).constructor).toBe(TimeoutError); // rebuilt as @weft/sync's own class, not a copy's
    expect((err as TimeoutError).code).toBe("ERR_WEFT_TIMEOUT");
  });

  it("an argument that cannot cross is a MarshalError of @weft/sync", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => pool.submit((x: unknown) => x, { f: Symbol("s") })).toThrow(MarshalError);
  });
});
