import { describe, expect, it } from "vitest";
import { fixture, runNode } from "./run-node.js";

describe("CommonJS build", () => {
  it("require('@weft/threads') finds its worker entry and runs threads", async () => {
    const run = await runNode([fixture("commonjs-user.cjs")]);
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("result=42 main=MainThread");
  });
});
