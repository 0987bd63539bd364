import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// weft's built files take Node's built-ins from process.getBuiltinModule (Node 20.16+), falling back to
// createRequire where it is missing (Node 20.10-20.15, which package.json's engines still admit). These
// programs run with it deleted, in the main thread and (the --import preload runs there too) in every worker.
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
const WITHOUT = ["--import", "data:text/javascript,delete process.getBuiltinModule"];

describe("weft loads where process.getBuiltinModule is missing", () => {
  it("ES module builds: pool tasks, a Lock argument, a propagated context and a Thread", async () => {
    const { stdout } = await run(process.execPath, [...WITHOUT, fixture("without-get-builtin-module.mjs")], {
      timeout: 30_000,
      cwd: packageDir,
    });
    expect(JSON.parse(stdout)).toEqual({
      main: "undefined",
      results: [5, "undefined false", ["ctx", "r1"]],
      thread: "undefined",
    });
  });

  it("CommonJS builds: a pool task and an inline function", async () => {
    const { stdout } = await run(process.execPath, [...WITHOUT, fixture("without-get-builtin-module.cjs")], {
      timeout: 30_000,
      cwd: packageDir,
    });
    expect(JSON.parse(stdout)).toEqual({ main: "undefined", results: [5, "undefined"] });
  });
});
