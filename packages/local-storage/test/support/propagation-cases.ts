// The behaviour every transport must show when a task carries its caller's snapshot; used by the worker-thread
// and child-process propagation tests (the fixtures run test/fixtures/context-task.mjs on the other side).
import { ContextLocal, snapshot } from "@weft/local-storage";
import { expect, it } from "vitest";

export type Send = (msg: Record<string, unknown>) => Promise<Record<string, unknown>>;

const requestId = new ContextLocal<string>({ name: "requestId", propagate: true, default: "main-default" });

/** Defines the propagation tests against `send`, which posts a message and resolves with the task's reply. */
export function propagationCases(send: Send): void {
  it("makes a request id set before posting visible inside the task, before and after an await", async () => {
    const result = await requestId.run("req-1", () => send({ snap: snapshot() }));
    expect(result.sync).toBe("req-1");
    expect(result.afterAwait).toBe("req-1");
  });

  it("restores the receiver's own values after the task, even when the task set values itself", async () => {
    const result = await requestId.run("req-2", () => send({ snap: snapshot() }));
    expect(result.before).toBe("none");
    expect(result.after).toBe("none");
    expect(result.localAfter).toBe("worker-default");
    expect((await send({ kind: "peek" })).value).toBe("none");
  });

  it("lets the receiver re-snapshot the restored values to propagate them further", async () => {
    const result = await requestId.run("req-3", () => send({ snap: snapshot() }));
    expect(result.nested).toEqual({ weftContext: 1, names: ["requestId"], values: ["req-3"] });
  });

  it("keeps concurrent tasks from different contexts apart inside one receiver", async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `req-c${i}`);
    const results = await Promise.all(
      ids.map((id, i) => requestId.run(id, () => send({ snap: snapshot(), delay: (i * 7) % 5 }))),
    );
    expect(results.map((r) => r.afterAwait)).toEqual(ids);
  });

  it("sends undefined when nothing propagates, and the task sees the receiver's default", async () => {
    expect(snapshot()).toBeUndefined();
    const result = await send({ snap: snapshot() });
    expect(result.sync).toBe("none");
  });
}
