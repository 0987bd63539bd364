import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { redisUrl } from "./helpers.js";

const program = fileURLToPath(new URL("./fixtures/shutdown-at-once.mjs", import.meta.url));

// shutdown() of an executor that was still connecting closed its client, but the start kept waiting for that
// client to be ready under a connectTimeout timer that kept the process alive until it ran out (10 s by default).
describe("shutdown() of an executor that has not connected yet", () => {
  it("leaves no timer keeping the process alive, and later submits see ShutdownError", () => {
    const run = spawnSync(process.execPath, [program, redisUrl()], { encoding: "utf8", timeout: 20_000 });
    expect(run.error, run.stderr).toBeUndefined(); // (ETIMEDOUT: it hung)
    expect(run.status, run.stderr).toBe(0);
    const { resources, thrown } = JSON.parse(run.stdout.trim()) as { resources: string[]; thrown: string };
    expect(resources).not.toContain("Timeout");
    expect(thrown).toBe("ShutdownError");
  });
});
