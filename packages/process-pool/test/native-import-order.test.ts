import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { nativeAvailable } from "./helpers.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/import-order.mjs", import.meta.url));

// Each order is a fresh Node process: which copies (ESM or CJS builds) of @weft/sync, @weft/native and the
// process pool are loaded, and in which order, is decided once per process.
const orders = [
  "esm:pool,esm:native,esm:sync", // the pool loads CJS native first, then the user imports ESM native
  "esm:native,esm:pool,esm:sync",
  "esm:sync,esm:pool,esm:native",
  "cjs:native,esm:pool,esm:sync", // CJS native registers with CJS sync only; the ESM marshal must see it
  "esm:pool,cjs:native,esm:sync",
  "esm:native,cjs:pool,cjs:sync",
  "cjs:pool,esm:native,esm:sync",
  "cjs:pool,cjs:native,cjs:sync",
  "esm:native,cjs:pool,esm:sync",
];

describe.skipIf(!nativeAvailable)("a primitive in @weft/native memory crosses to a child", () => {
  for (const order of orders) {
    it(`whatever the import order and module formats: ${order}`, async () => {
      const { stdout } = await run(process.execPath, [script, order], { timeout: 60_000 });
      expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({ set: true });
    }, 70_000);
  }
});
