import { ContextLookupError, ContextTokenError } from "@weft/local-storage";
import { Thread, ThreadError } from "@weft/threads";
import { deserializeError, serializeError } from "@weft/threads/extension";
import { describe, expect, it } from "vitest";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

// @weft/local-storage is a leaf (it cannot use @weft/sync's registry); @weft/threads registers its error classes
// so that they too arrive as their class after crossing a thread or process boundary.
describe("@weft/local-storage errors keep their class across a thread boundary", () => {
  it("rebuilds each local-storage error class by its code", () => {
    const back = deserializeError(serializeError(new ContextLookupError("requestId has no value")));
    expect(back).toBeInstanceOf(ContextLookupError);
    expect((back as ContextLookupError).code).toBe("ERR_WEFT_CONTEXT_LOOKUP");
    expect(deserializeError(serializeError(new ContextTokenError("used twice")))).toBeInstanceOf(
      ContextTokenError,
    );
  });

  it("a ContextLookupError thrown in a thread arrives as a ContextLookupError", async () => {
    const thread = new Thread({ target: { module: threadTasks, export: "lookupMissing" } }).start();
    const err = await thread.join().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ThreadError);
    expect((err as ThreadError).cause).toBeInstanceOf(ContextLookupError);
  });
});
