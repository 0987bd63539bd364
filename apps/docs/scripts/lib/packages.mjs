// The library packages the API reference documents: every packages/<name>/ holding a src/index.ts.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./paths.mjs";

/** Absolute directories of the documented packages, sorted by name. */
export function packageDirs() {
  const dir = join(repoRoot, "packages");
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "src", "index.ts")))
    .sort()
    .map((name) => join(dir, name));
}
