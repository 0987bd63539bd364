import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { closedPort } from "./helpers.js";

const program = fileURLToPath(new URL("./fixtures/unreachable-redis-exit.mjs", import.meta.url));

/** What keeps the child's event loop alive once it closed everything it made. */
async function leftAfterClosing(kind: string): Promise<{ resources: string[]; log: string }> {
  const port = await closedPort();
  const run = spawnSync(process.execPath, [program, kind, String(port)], {
    encoding: "utf8",
    timeout: 20_000,
  });
  expect(run.error, `${kind}: ${run.stderr}`).toBeUndefined(); // (ETIMEDOUT: it hung)
  expect(run.status, run.stderr).toBe(0);
  return { resources: JSON.parse(run.stdout.trim()) as string[], log: run.stderr };
}

// ioredis's disconnect() waits up to 2 s for its socket's 'close', armed even when that socket closed long
// before (a refused connection): closing a client that never connected kept the program alive 2 s more.
describe("closing what never reached Redis leaves nothing keeping the process alive", () => {
  it("DistributedExecutor.shutdown()", async () => {
    const { resources, log } = await leftAfterClosing("executor");
    expect(log).toContain("future: RedisConnectionError");
    expect(resources).not.toContain("Timeout");
  });

  it("a serveQueue that could not connect", async () => {
    const { resources, log } = await leftAfterClosing("serve");
    expect(log).toContain("serveQueue: RedisConnectionError");
    expect(resources).not.toContain("Timeout");
  });

  it("QueueServer.close() after Redis died, waiting for running jobs or not (it used to wait for Redis for ever)", async () => {
    for (const kind of ["away-serve", "away-serve-force"]) {
      const { resources, log } = await leftAfterClosing(kind);
      expect(log).toContain("closed");
      expect(resources, kind).not.toContain("Timeout");
    }
  });

  it("DistributedExecutor.shutdown() after Redis died (BullMQ's event reader kept it 11 s)", async () => {
    const { resources, log } = await leftAfterClosing("away-executor");
    expect(log).toContain("ran: 3");
    expect(log).toContain("the waiting future cancelled: true");
    expect(resources).not.toContain("Timeout");
  });

  it("DistributedLock.close()", async () => {
    const { resources, log } = await leftAfterClosing("lock");
    expect(log).toMatch(/acquire: \w+Error/);
    expect(resources).not.toContain("Timeout");
  });
});
