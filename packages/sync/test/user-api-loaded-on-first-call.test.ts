import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as sync from "@weft/sync";
import { InvalidStateError, MarshalError, TimeoutError } from "@weft/sync/errors";
import { loadSync } from "@weft/sync/load";
import { describe, expect, it } from "vitest";

// @weft/sync/load: the user API, loaded by the first loadSync() call (for packages that need it only on some
// paths), and @weft/sync/errors: the error classes alone. Both must give the very module (and classes) that
// importing @weft/sync gives, in every way the package is loaded.
const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));

describe("@weft/sync/load and @weft/sync/errors", () => {
  it("give the classes of @weft/sync itself", () => {
    expect(loadSync().Lock).toBe(sync.Lock);
    expect(loadSync().marshal).toBe(sync.marshal);
    expect(MarshalError).toBe(sync.MarshalError);
    expect(TimeoutError).toBe(sync.TimeoutError);
    expect(InvalidStateError).toBe(sync.InvalidStateError);
  });

  it("in Node, ES modules: loadSync() requires the ES module build, the module that import() gives", async () => {
    const source = [
      'import { loadSync } from "@weft/sync/load";',
      'import { TimeoutError } from "@weft/sync/errors";',
      "const lazy = loadSync();",
      'const ns = await import("@weft/sync");',
      "console.log(JSON.stringify({",
      '  file: import.meta.resolve("@weft/sync/load").split("/").pop(),',
      "  same: lazy === ns, errors: TimeoutError === ns.TimeoutError,",
      "}));",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", source], { cwd: here });
    // Node 20.19+ and 22.12+ can require() an ES module ("module-sync"); older ones get the static import.
    const lazy = (process.features as { require_module?: boolean }).require_module === true;
    expect(JSON.parse(stdout)).toEqual({
      file: lazy ? "load.js" : "load-bundled.js",
      same: true,
      errors: true,
    });
  });

  it("in Node, CommonJS: loadSync() requires the CommonJS build, the module that require() gives", async () => {
    const source = [
      'const { loadSync } = require("@weft/sync/load");',
      'const { TimeoutError } = require("@weft/sync/errors");',
      'const ns = require("@weft/sync");',
      "console.log(JSON.stringify({ same: loadSync() === ns, errors: TimeoutError === ns.TimeoutError }));",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["-e", source], { cwd: here });
    expect(JSON.parse(stdout)).toEqual({ same: true, errors: true });
  });
});
