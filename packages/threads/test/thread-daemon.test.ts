import { describe, expect, it } from "vitest";
import { fixture, runNode } from "./run-node.js";

describe("daemon threads", () => {
  it("a process that started only daemon threads exits on its own", async () => {
    const run = await runNode([fixture("daemon-only.mjs")]);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      "main: started daemon=true",
      "main: daemon running=true",
      "main: done",
    ]);
  });

  it("a non-daemon thread keeps the process alive until it ends", async () => {
    const run = await runNode([fixture("non-daemon.mjs")]);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual(["main: done", "thread: done"]);
  });

  it("joining a daemon thread keeps the process alive while the join waits", async () => {
    const run = await runNode([fixture("non-daemon.mjs"), "join-daemon"]);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("joined=true result=daemon finished");
  });
});
