import { describe, expect, it } from "vitest";
import { fixture, runNode } from "./run-node.js";

describe("console output of threads", () => {
  it("arrives in order, all of it before join() resolves", async () => {
    const run = await runNode([fixture("console-order.mjs"), "400"]);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    const out = run.stdout.trim().split("\n");
    expect(out).toEqual([...Array.from({ length: 400 }, (_, i) => `out ${i}`), "main: joined"]);
    const err = run.stderr.trim().split("\n");
    expect(err).toEqual([...Array.from({ length: 40 }, (_, i) => `err ${i * 10}`), "main: joined"]);
  });
});
