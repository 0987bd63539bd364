import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runNode } from "./run-node.js";

// A pruned deploy: @weft/threads (its built dist) installed without acorn, outside any node_modules that has it.
const root = mkdtempSync(join(tmpdir(), "weft-no-acorn-"));
const packages = fileURLToPath(new URL("../..", import.meta.url));
const scope = join(root, "node_modules", "@weft");
mkdirSync(join(scope, "threads"), { recursive: true });
cpSync(join(packages, "threads", "dist"), join(scope, "threads", "dist"), { recursive: true });
cpSync(join(packages, "threads", "package.json"), join(scope, "threads", "package.json"));
for (const name of ["sync", "local-storage"]) symlinkSync(join(packages, name), join(scope, name), "dir");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const script = (ext: string, load: string) => {
  const file = join(root, `main.${ext}`);
  writeFileSync(
    file,
    `${load}
try {
  new Thread({ target: (n) => n + 1, args: [1] }).start();
  console.log("started");
} catch (error) {
  console.log(JSON.stringify({ name: error.name, message: error.message, cause: error.cause?.code }));
}
`,
  );
  return file;
};

describe("acorn missing (a pruned deploy)", () => {
  for (const [format, load] of [
    ["mjs", 'import { Thread } from "@weft/threads";'],
    ["cjs", 'const { Thread } = require("@weft/threads");'],
  ] as const) {
    it(`${format}: a function target is refused with the real cause, not as unparsable`, async () => {
      // pnpm's NODE_PATH (in the test runner's environment) would find the workspace's acorn.
      const { NODE_PATH: _, ...env } = process.env;
      const run = await runNode([script(format, load)], 20_000, env);
      expect(run.stderr).toBe("");
      const outcome = JSON.parse(run.stdout.trim()) as { name: string; message: string; cause: string };
      expect(outcome.name).toBe("TargetError");
      expect(outcome.message).toContain("could not load acorn");
      expect(outcome.message).not.toContain("could not be parsed");
      expect(outcome.cause).toBe("MODULE_NOT_FOUND");
    });
  }
});
