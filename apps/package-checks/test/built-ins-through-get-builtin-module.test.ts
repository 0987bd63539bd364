import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packages = fileURLToPath(new URL("../../../packages/", import.meta.url));
const builtins = new Set(builtinModules.flatMap((id) => [id, `node:${id}`]));
// The fallback for Node before 20.16 (scripts/builtin-imports.mjs): `createRequire`, from node:module.
const ALLOWED = new Set(["module", "node:module"]);
// Kept an ES module import (a `// builtin-imports: keep` line in the source): webpack emits the worker entry of
// `new Worker(new URL("./x.js", import.meta.url))` only where Worker comes from worker_threads.
const SPAWNS_WORKER =
  /new Worker\(new URL\("\.\/[\w-]+\.js"|new \(0, _?\w*worker_threads\w*\.Worker\)\(new URL\(/;
const KEPT = new Set(["worker_threads", "node:worker_threads"]);
const STATIC = [
  /^\s*import\s[^;]*?from\s*"([^"]+)"/gm, // ES module builds
  /\brequire\("([^"]+)"\)/g, // CommonJS builds
];

/** Every built-in a package's built files load through `import` or `require` instead of `getBuiltinModule`. */
function builtinImports(pkg: string): string[] {
  const dist = join(packages, pkg, "dist");
  const found: string[] = [];
  for (const file of readdirSync(dist).filter((f) => /\.(c|m)?js$/.test(f))) {
    const text = readFileSync(join(dist, file), "utf8");
    for (const pattern of STATIC) {
      for (const [, id] of text.matchAll(pattern)) {
        if (id === undefined || !builtins.has(id) || ALLOWED.has(id)) continue;
        if (KEPT.has(id) && SPAWNS_WORKER.test(text)) continue;
        found.push(`${file}: ${id}`);
      }
    }
  }
  return found;
}

// Each built-in that a process first imports as an ES module costs Node an ES module namespace of all its
// exports (0.1-0.4 ms each), paid by the main thread and every worker at a cold start.
describe("weft's built files take Node's built-ins from process.getBuiltinModule", () => {
  const withDist = readdirSync(packages).filter((pkg) => {
    try {
      return readdirSync(join(packages, pkg, "dist")).length > 0;
    } catch {
      return false;
    }
  });
  it("finds the built packages", () => {
    expect(withDist).toEqual(expect.arrayContaining(["sync", "threads", "pool", "process-pool", "native"]));
  });
  for (const pkg of withDist) {
    it(`@weft/${pkg} imports and requires no built-in but node:module`, () => {
      expect(builtinImports(pkg)).toEqual([]);
    });
  }
});
