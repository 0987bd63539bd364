import { ContextLocal } from "@weft/local-storage";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);
// Same name as the ContextLocal declared in the task module: that is how the value finds it in the thread.
const requestId = new ContextLocal<string>({ name: "test.requestId", propagate: true, default: "-" });

describe("context propagation", () => {
  it("propagating ContextLocals set when start() is called are visible in the thread", async () => {
    const t = requestId.run("req-42", () =>
      new Thread({ target: { module: threadTasks, export: "readRequestId" } }).start(),
    );
    await t.join();
    expect(t.result).toBe("req-42");
  });

  it("a thread started outside any context sees the default", async () => {
    const t = new Thread({ target: { module: threadTasks, export: "readRequestId" } }).start();
    await t.join();
    expect(t.result).toBe("-");
  });

  it("a thread started by a thread that defines no ContextLocal still carries the context it received", async () => {
    // The middle thread restores the snapshot but never loads a ContextLocal of its own: its own threads
    // must still get the values (a request id set in the main thread reaches the grandchild).
    const t = requestId.run("req-7", () =>
      new Thread({
        target: {
          module: new URL("./fixtures/context-free-middle.mjs", import.meta.url),
          export: "startAndReturn",
        },
        args: [threadTasks.href, "readRequestId"],
      }).start(),
    );
    await t.join();
    expect(t.result).toBe("req-7");
  });
});
