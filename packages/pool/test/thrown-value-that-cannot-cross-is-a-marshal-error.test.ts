import { ThreadPoolExecutor } from "@weft/pool";
import { Lock, MarshalError } from "@weft/sync";
import { describe, expect, it } from "vitest";

// A task that throws a value which is not an Error and cannot be structured-cloned fails its future with a
// MarshalError whose path starts with `error`, as a result that cannot cross does with `result...` (Python: the
// pickling error), not with that value's String() text (a thrown function used to arrive as its whole source).

const throwers = {
  aFunction: (_lock?: unknown) => {
    throw function handlerWithALongBody() {
      return "SOURCE-OF-THE-THROWN-FUNCTION";
    };
  },
  aSymbol: (_lock?: unknown) => {
    throw Symbol("bad");
  },
  aPlainObjectHoldingAFunction: (_lock?: unknown) => {
    throw { code: 7, callback: () => "SOURCE-OF-THE-THROWN-FUNCTION" };
  },
  aClassInstanceHoldingAFunction: (_lock?: unknown) => {
    class Failure {
      retry = () => "SOURCE-OF-THE-THROWN-FUNCTION";
    }
    throw new Failure();
  },
  aProxy: (_lock?: unknown) => {
    throw new Proxy(
      {},
      {
        get() {
          throw new Error("proxy trap");
        },
      },
    );
  },
  anAsyncRejection: async (_lock?: unknown) => {
    throw { nested: [1, { fn: () => "SOURCE-OF-THE-THROWN-FUNCTION" }] };
  },
};

const expected: Record<keyof typeof throwers, { path: string; says: RegExp; thrown: RegExp }> = {
  aFunction: {
    path: "error",
    says: /^error is a function: functions cannot cross threads/,
    thrown: /what was thrown: a function named "handlerWithALongBody"/,
  },
  aSymbol: {
    path: "error",
    says: /^error is a symbol: symbols cannot cross threads/,
    thrown: /what was thrown: Symbol\(bad\)/,
  },
  aPlainObjectHoldingAFunction: {
    path: "error.callback",
    says: /^error\.callback is a function: functions cannot cross threads/,
    thrown: /what was thrown: a plain object with keys code, callback/,
  },
  aClassInstanceHoldingAFunction: {
    path: "error",
    says: /^error is an instance of Failure: class instances cannot cross threads/,
    thrown: /what was thrown: an instance of Failure/,
  },
  aProxy: {
    path: "error",
    says: /^error is a Proxy: proxies cannot cross threads/,
    thrown: /what was thrown: a Proxy/,
  },
  anAsyncRejection: {
    path: "error.nested[1].fn",
    says: /^error\.nested\[1\]\.fn is a function: functions cannot cross threads/,
    thrown: /what was thrown: a plain object with keys nested/,
  },
};

describe("a task that throws a value that cannot cross fails with a MarshalError at `error`", () => {
  for (const syncLoaded of [false, true]) {
    describe(
      syncLoaded ? "in a worker that loaded the marshal walk" : "in a worker that has not loaded @weft/sync",
      () => {
        it.each(Object.keys(throwers))("%s", async (name) => {
          await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
          const before = await pool.submit(identity);
          const task = throwers[name as keyof typeof throwers];
          // A Lock argument makes the worker load @weft/sync (the marshal walk) for this task.
          const future = syncLoaded ? pool.submit(task, new Lock()) : pool.submit(task);
          const err = (await future.exception({ timeout: 10_000 })) as MarshalError;
          const want = expected[name as keyof typeof throwers];
          expect(err).toBeInstanceOf(MarshalError);
          expect(err.code).toBe("ERR_WEFT_MARSHAL");
          expect(err.path).toBe(want.path);
          expect(err.message).toMatch(want.says);
          expect(err.message).toMatch(want.thrown);
          expect(err.message).not.toContain("SOURCE-OF-THE-THROWN-FUNCTION");
          expect(err.message).not.toContain("[object Object]");
          await expect(future.result()).rejects.toBe(err);
          // Reporting it did not cost the worker.
          expect(await pool.submit(identity)).toBe(before);
        });
      },
    );
  }

  it("values that can cross still arrive as they were", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const thrown = await Promise.all(
      [
        () => {
          throw 42;
        },
        () => {
          throw "text";
        },
        () => {
          throw { plain: ["data"], when: new Date(0) };
        },
        () => {
          throw undefined;
        },
      ].map((fn) => pool.submit(fn).exception()),
    );
    expect(thrown).toEqual([42, "text", { plain: ["data"], when: new Date(0) }, undefined]);
  });

  it("an initializer that throws such a value fails the pool's tasks with that MarshalError", async () => {
    await using pool = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: () => {
        throw { onRetry() {} };
      },
    });
    const err = (await pool.submit(identity).exception({ timeout: 10_000 })) as Error & { cause?: unknown };
    const marshal = (err instanceof MarshalError ? err : err.cause) as MarshalError;
    expect(marshal).toBeInstanceOf(MarshalError);
    expect(marshal.path).toBe("error.onRetry");
  });
});

/** A mark that lives as long as the worker that runs it. */
function identity(): number {
  const g = globalThis as { __weftProbeMark?: number };
  g.__weftProbeMark ??= Math.random();
  return g.__weftProbeMark;
}
