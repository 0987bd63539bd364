import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cli, freshQueue, startWorker } from "./helpers.js";

const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 20_000,
  });

describe("weft-worker", () => {
  it("--help explains the options, and names function source as remote code execution", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--allow-function-source\s+also run function source/);
    expect(r.stdout).toMatch(/REMOTE CODE EXECUTION/);
  });

  it("refuses bad command lines with exit code 2 and a message", () => {
    expect(run(["--queue", "q", "--module", "x.js"], { WEFT_REDIS_URL: "", REDIS_URL: "" }).status).toBe(2);
    const noQueue = run(["--redis", "redis://127.0.0.1:1", "--module", "x.js"]);
    expect([noQueue.status, noQueue.stderr]).toEqual([2, expect.stringMatching(/--queue is required/)]);
    expect(run(["--redis", "redis://127.0.0.1:1", "--queue", "q", "--bogus"]).stderr).toMatch(
      /Unknown option/,
    );
  });

  it("never prints the Redis password", async () => {
    const worker = await startWorker(freshQueue());
    expect(worker.log()).toMatch(/serving queue/);
    await worker.stop();
    const url = new URL(worker.log().match(/at (redis:\S+)/)![1]!);
    expect(url.password).toBe("");
    const r = run([
      "--redis",
      "redis://u:hunter2@127.0.0.1:1",
      "--queue",
      "q",
      "--module",
      "./x.js",
      "--connect-timeout",
      "300",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain("hunter2");
  });
});
