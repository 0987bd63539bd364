import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nativeAvailable } from "./helpers.js";

// sharedSlots: true with @weft/native installed but failing (its addon does not load on this system): the error
// must say what failed, not that @weft/native is missing.
describe("sharedSlots: true when @weft/native is installed but fails", () => {
  it.skipIf(!nativeAvailable)(
    "throws a PoolOptionError that names the failure and carries it as cause",
    () => {
      const script = `
      import { ProcessPoolExecutor } from "@weft/process-pool";
      try { new ProcessPoolExecutor({ sharedSlots: true }); console.log("no error"); }
      catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, cause: String(e.cause?.message) })); }`;
      const run = spawnSync(
        process.execPath,
        [
          "--require",
          fileURLToPath(new URL("./fixtures/refuse-addons.cjs", import.meta.url)),
          "--input-type=module",
          "-e",
          script,
        ],
        { cwd: fileURLToPath(new URL(".", import.meta.url)), encoding: "utf8" },
      );
      const out = JSON.parse(run.stdout.trim()) as { name: string; message: string; cause: string };
      expect(out.name).toBe("PoolOptionError");
      expect(out.message).toMatch(/installed but failed here/);
      expect(out.message).toMatch(/GLIBC_2\.34 not found/);
      expect(out.cause).toMatch(/refuses the addon/);
    },
  );
});
