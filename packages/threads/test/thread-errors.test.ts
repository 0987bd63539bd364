import { MarshalError } from "@weft/sync";
import { ClosureError, TargetLoadError, Thread, ThreadError } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { fixture, runNode } from "./run-node.js";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

async function failure(thread: Thread): Promise<ThreadError> {
  const error = await thread.join().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ThreadError)) throw new Error(`expected a ThreadError, got ${String(error)}`);
  return error;
}

describe("errors raised in a thread", () => {
  it("are rethrown to the joiner as ThreadError with the thread's error and stack as cause", async () => {
    const t = new Thread({
      name: "thrower",
      target: function explode(n: number) {
        if (n > 0) throw new RangeError(`bad n: ${n}`);
        return n;
      },
      args: [3],
    }).start();
    const error = await failure(t);
    expect(error.thread).toBe("thrower");
    expect(error.message).toBe('Thread "thrower" failed: RangeError: bad n: 3');
    const cause = error.cause as Error;
    expect(cause).toBeInstanceOf(RangeError);
    expect(cause.message).toBe("bad n: 3");
    // The stack is the thread's own: it runs through the target, named after it.
    expect(cause.stack).toMatch(/at explode \(thread-target:explode:/);
    expect(t.error).toBe(cause);
    expect(t.result).toBeUndefined();
    // Every join reports it.
    await expect(t.join()).rejects.toThrow(ThreadError);
  });

  it("keep a custom error's name, code, own properties and cause chain", async () => {
    const t = new Thread({ target: { module: threadTasks, export: "throwCustom" } }).start();
    const cause = (await failure(t)).cause as Error & { code?: string; detail?: unknown };
    expect(cause.name).toBe("CustomError");
    expect(cause.code).toBe("E_CUSTOM");
    expect(cause.detail).toEqual({ retry: false });
    expect(cause.stack).toContain("thread-tasks.mjs");
    expect(cause.cause).toBeInstanceOf(TypeError);
    expect((cause.cause as Error).message).toBe("root cause");
  });

  it("carry non-Error throws as they were", async () => {
    const t = new Thread({
      target: () => {
        throw { reason: "plain object" };
      },
    }).start();
    expect((await failure(t)).cause).toEqual({ reason: "plain object" });
  });

  it("treat process.exit(code) in the thread as its end, not an error (see thread-process-exit)", async () => {
    const exitedNonZero = new Thread({ target: () => process.exit(3) }).start();
    expect(await exitedNonZero.join()).toBe(true);
    expect(exitedNonZero.exitCode).toBe(3);
    const exited = new Thread({ target: () => process.exit(0) }).start();
    expect(await exited.join()).toBe(true);
    expect(exited.result).toBeUndefined();
  });

  it("report errors thrown outside the target's promise (uncaught in the thread)", async () => {
    const t = new Thread({
      target: () =>
        new Promise(() => {
          setTimeout(() => {
            throw new SyntaxError("late failure");
          }, 5);
        }),
    }).start();
    const cause = (await failure(t)).cause as Error;
    expect(cause.name).toBe("SyntaxError");
    expect(cause.message).toBe("late failure");
  });

  it("include target loading failures", async () => {
    const t = new Thread({ target: { module: threadTasks, export: "noSuchExport" } }).start();
    const cause = (await failure(t)).cause as Error;
    expect(cause.name).toBe(TargetLoadError.name);
    expect(cause.message).toMatch(/has no export "noSuchExport"/);
  });

  it("include a result that cannot cross back, naming its path", async () => {
    const t = new Thread({ target: () => ({ items: [1, () => 2] }) }).start();
    const cause = (await failure(t)).cause as Error & { path?: string };
    expect(cause.name).toBe("MarshalError");
    expect(cause.message).toMatch(/^result\.items\[1\] is a function/);
  });

  it("are printed like Python's excepthook when nobody joins the thread", async () => {
    const run = await runNode([fixture("unjoined-failure.mjs")]);
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toContain("Exception in thread doomed:");
    expect(run.stderr).toContain("Error: nobody is listening");
  });
});

describe("errors raised by start()", () => {
  it("a function that uses an outer variable fails at start, naming it", () => {
    const interval = 0.5;
    const t = new Thread({ target: (n: number) => n * interval, args: [2] });
    expect(() => t.start()).toThrow(ClosureError);
    expect(() => t.start()).toThrow(/`interval`.*argument.*module/s);
    expect(t.isAlive).toBe(false);
  });

  it("non-cloneable arguments fail at start, naming the path", () => {
    const t = new Thread({ target: (a: unknown, b: unknown) => [a, b], args: [1, { handler: () => {} }] });
    let error: unknown;
    try {
      t.start();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MarshalError);
    expect((error as MarshalError).path).toBe("args[1].handler");
    expect((error as Error).message).toMatch(/^args\[1\]\.handler is a function/);
    expect(t.isAlive).toBe(false);
  });

  it("a detached ArrayBuffer argument fails at start with a MarshalError naming its path", () => {
    const detached = () => {
      const buffer = new ArrayBuffer(8);
      structuredClone(buffer, { transfer: [buffer] }); // as after postMessage(buffer, [buffer])
      return buffer;
    };
    for (const [args, path] of [
      [[detached()], "args[0]"],
      [[1, { data: detached() }], "args[1].data"],
    ] as const) {
      const t = new Thread({ target: (...a: unknown[]) => a.length, args: [...args] });
      let error: unknown;
      try {
        t.start();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MarshalError);
      expect((error as MarshalError).path).toBe(path);
      expect(t.isAlive).toBe(false);
    }
  });
});
