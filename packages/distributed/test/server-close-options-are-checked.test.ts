import { PoolOptionError } from "@weft/distributed";
import { describe, expect, it } from "vitest";
import { freshQueue, serveHere } from "./helpers.js";

// QueueServer.close(options) returns a promise: bad options reject it with PoolOptionError (as
// DistributedExecutor.shutdown's do) instead of throwing, and `force` must be a boolean (a truthy string used
// to close gracefully, silently).
describe("QueueServer.close options", () => {
  it("bad options reject with PoolOptionError and leave the server open", async () => {
    const server = await serveHere(freshQueue("close"));
    const call = (options: unknown): Promise<void> | string => {
      try {
        return server.close(options as never);
      } catch {
        return "threw synchronously";
      }
    };
    for (const bad of [null, "force", { force: "yes" }, { force: 1 }, { forse: true }]) {
      const p = call(bad);
      expect(p).toBeInstanceOf(Promise);
      const err = await (p as Promise<void>).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(PoolOptionError);
      expect((err as Error).message).toMatch(/^QueueServer\.close options/);
    }
    let closed = false;
    void server.closed.then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false); // none of them started closing it
    await server.close({ force: false });
  });
});
