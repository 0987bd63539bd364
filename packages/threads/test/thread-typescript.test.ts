import { describe, expect, it } from "vitest";
import { fixture, runNode } from "./run-node.js";

describe("TypeScript targets", () => {
  it("a process running under tsx can run .ts module targets and tsx-compiled function targets", async () => {
    const run = await runNode(["--import", "tsx", fixture("ts/main.ts")], 50_000);
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [moduleLine, functionLine] = run.stdout.trim().split("\n");
    expect(JSON.parse(moduleLine ?? "null")).toEqual({ input: 21, scaled: 42, thread: "ts-module" });
    expect(functionLine).toBe("square 81");
  });
});
