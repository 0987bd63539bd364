import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { fixture, runNode } from "./run-node.js";

const expected = JSON.stringify({ input: 21, scaled: 42, thread: "readme" });
// Inside the package (an ES module package), so that the compiled files import @weft/threads by its own name.
const out = mkdtempSync(join(fileURLToPath(new URL(".", import.meta.url)), "tsc-out-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('a module target named new URL("./task.js", import.meta.url) from TypeScript sources', () => {
  it("runs under tsx, where only task.ts exists", async () => {
    const run = await runNode(["--import", "tsx", fixture("ts/readme-task.ts")], 50_000);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n")).toEqual([expected, expected]);
  });

  it("runs after tsc, where task.js exists", async () => {
    const program = ts.createProgram(
      ["readme-task.ts", "task.ts", "helper.ts"].map((f) => fixture(`ts/${f}`)),
      {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        outDir: out,
        rootDir: fixture("ts"),
        skipLibCheck: true,
        types: ["node"],
      },
    );
    const emitted = program.emit();
    expect(emitted.emitSkipped).toBe(false);
    const run = await runNode([join(out, "readme-task.js")]);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n")).toEqual([expected, expected]);
  });
});
