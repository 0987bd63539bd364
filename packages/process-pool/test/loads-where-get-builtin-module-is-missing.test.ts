import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// weft's built files take Node's built-ins from process.getBuiltinModule (Node 20.16+), falling back to
// createRequire where it is missing (Node 20.10-20.15, which package.json's engines still admit). The program
// runs with it deleted, in the parent and (children inherit the --import preload) in the child.
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const program = fileURLToPath(new URL("./fixtures/without-get-builtin-module.mjs", import.meta.url));

describe("the process pool loads where process.getBuiltinModule is missing", () => {
  it("runs a module task and an inline function in a child", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "data:text/javascript,delete process.getBuiltinModule", program],
      { timeout: 60_000, cwd: packageDir },
    );
    expect(JSON.parse(stdout)).toEqual({ main: "undefined", results: [5, "undefined"] });
  });
});
