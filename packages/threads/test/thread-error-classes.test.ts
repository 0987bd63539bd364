import { createRequire } from "node:module";
import { InvalidTimeoutError, MarshalError, TimeoutError } from "@weft/sync";
import { Thread, ThreadError } from "@weft/threads";
import { deserializeError, serializeError } from "@weft/threads/extension";
import { describe, expect, it } from "vitest";
import { runNode } from "./run-node.js";

// Eval workers resolve bare specifiers from the working directory: give them the built CommonJS entries' paths.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));
const THREADS_CJS = JSON.stringify(requireHere.resolve("@weft/threads"));

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

async function failureOf(thread: Thread): Promise<unknown> {
  const error = await thread.join().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ThreadError);
  return (error as ThreadError).cause;
}

describe("weft errors keep their class across a thread boundary", () => {
  it("a result that cannot be sent back arrives as a MarshalError with its path", async () => {
    const cause = (await failureOf(
      new Thread({ target: () => ({ items: [() => 1] }) }).start(),
    )) as MarshalError;
    expect(cause).toBeInstanceOf(MarshalError);
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause.name).toBe("MarshalError");
    expect(cause.code).toBe("ERR_WEFT_MARSHAL");
    expect(cause.path).toBe("result.items[0]");
    expect(cause.message).toMatch(/^result\.items\[0\] is a function/);
  });

  it("a result that structured clone refuses after the marshal walk (a Proxy) is a MarshalError too", async () => {
    const cause = (await failureOf(new Thread({ target: () => new Proxy({}, {}) }).start())) as MarshalError;
    expect(cause).toBeInstanceOf(MarshalError);
    expect(cause.path).toBe("result");
    expect(cause.message).toMatch(/^result (is a Proxy|cannot be sent back .*DataCloneError)/);
  });

  it("an error of a weft class thrown by the target arrives as that class, with stack, own props and cause", async () => {
    const cause = (await failureOf(
      new Thread({ target: { module: threadTasks, export: "throwTimeout" } }).start(),
    )) as TimeoutError & { timeout?: number };
    expect(cause).toBeInstanceOf(TimeoutError);
    expect(cause.message).toBe("gave up waiting");
    expect(cause.timeout).toBe(250);
    expect(cause.stack).toMatch(/gave up waiting/);
    expect(cause.cause).toBeInstanceOf(RangeError);
    expect((cause.cause as Error).message).toBe("root");
  });

  it("serializeError/deserializeError rebuild every registered class by its code, in a cause chain too", () => {
    const original = new ThreadError("worker-1", new InvalidTimeoutError("join: timeout", -1));
    const copy = deserializeError(structuredClone(serializeError(original))) as ThreadError;
    expect(copy).toBeInstanceOf(ThreadError);
    expect(copy.thread).toBe("worker-1");
    expect(copy.code).toBe("ERR_WEFT_THREAD");
    expect(copy.stack).toBe(original.stack);
    expect(copy.cause).toBeInstanceOf(InvalidTimeoutError);
    expect(copy.cause).toBeInstanceOf(RangeError);
    expect((copy.cause as Error).message).toBe((original.cause as Error).message);
    // An error that only looks like a weft one (unknown code) keeps today's rebuild: an Error with its name.
    const lookalike = Object.assign(new Error("x"), { name: "WidgetError", code: "ERR_WEFT_NO_SUCH_CLASS" });
    const plain = deserializeError(structuredClone(serializeError(lookalike))) as Error;
    expect(Object.getPrototypeOf(plain)).toBe(Error.prototype);
    expect(plain.name).toBe("WidgetError");
  });

  it("holds in the CommonJS build as well", async () => {
    const script = `
      const { MarshalError } = require(${SYNC_CJS});
      const { Thread } = require(${THREADS_CJS});
      const t = new Thread({ target: () => ({ f() {} }) }).start();
      t.join().catch((e) => console.log("cause", e.cause instanceof MarshalError, e.cause.path));
    `;
    const run = await runNode(["--input-type=commonjs", "-e", script]);
    expect(run.stdout).toContain("cause true result.f");
  });
});
