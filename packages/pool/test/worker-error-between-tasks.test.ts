import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BrokenWorkerError, ThreadPoolExecutor } from "@weft/pool";
import { type ExceptHookArgs, setExcepthook, Thread } from "@weft/threads";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// A worker can die of an error no task's future can carry: a timer or a promise a finished task left behind.
// Node does not print a worker thread's uncaught error (it goes to the Worker's "error" event), so before
// this the pool replaced the worker and the error was lost without a trace.
describe("an error a worker dies of between tasks is reported, not dropped", () => {
  const seen: ExceptHookArgs[] = [];
  let restore: ReturnType<typeof setExcepthook> | undefined;
  beforeAll(() => {
    restore = setExcepthook((args) => {
      seen.push(args);
    });
  });
  afterAll(() => {
    setExcepthook(restore);
  });
  afterEach(() => {
    seen.length = 0;
  });

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it("a throw in a timer left by a finished task reaches the threads excepthook, named after the worker", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, name: "Stray" });
    const f = pool.submit(() => {
      setTimeout(() => {
        throw new RangeError("thrown later");
      }, 5);
      return 6;
    });
    expect(await f).toBe(6); // the finished task keeps its result
    await until(() => seen.length > 0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.thread.name).toBe("Stray_0");
    expect(seen[0]!.thread).toBeInstanceOf(Thread); // the Thread class of the user's own @weft/threads
    expect(seen[0]!.excValue).toMatchObject({ name: "RangeError", message: "thrown later" });
    expect(await pool.submit(() => 7)).toBe(7); // the worker was replaced
  });

  it("so does an unhandled rejection", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(
      await pool.submit(() => {
        void Promise.reject(new Error("nobody awaited this"));
        return 5;
      }),
    ).toBe(5);
    await until(() => seen.length > 0);
    expect(seen.map((a) => (a.excValue as Error).message)).toEqual(["nobody awaited this"]);
  });

  it("an error while a task runs goes to that task's future only", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const f = pool.submit(
      () =>
        new Promise(() => {
          setTimeout(() => {
            throw new Error("while running");
          }, 5);
        }),
    );
    const err = await f.exception();
    expect(err).toBeInstanceOf(BrokenWorkerError);
    expect((err as BrokenWorkerError).cause).toMatchObject({ message: "while running" });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
  });

  it("in a program that never loads @weft/threads itself, the default hook prints it on stderr", () => {
    const script = `
      import { ThreadPoolExecutor } from "@weft/pool";
      const pool = new ThreadPoolExecutor({ maxWorkers: 1, name: "Lone" });
      await pool.submit(() => { setTimeout(() => { throw new RangeError("thrown later"); }, 5); return 1; });
      await new Promise((r) => setTimeout(r, 300));
      await pool.shutdown();`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL(".", import.meta.url)),
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^Exception in thread Lone_0:\nRangeError: thrown later/m);
  });
});
