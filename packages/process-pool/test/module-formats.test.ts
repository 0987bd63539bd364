import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { nativeAvailable } from "./helpers.js";

const run = promisify(execFile);
const native = nativeAvailable;

describe("both builds, under plain Node", () => {
  for (const file of ["format-esm.mjs", "format-cjs.cjs"]) {
    for (const mode of native ? ["plain", "shared"] : ["plain"]) {
      it(`${file} (${mode} slots) finds its child entry and runs a task`, async () => {
        const script = fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
        const { stdout } = await run(process.execPath, [script, mode], { timeout: 30_000 });
        expect(JSON.parse(stdout.trim())).toEqual({ result: 42 });
      }, 40_000);
    }
  }
});
