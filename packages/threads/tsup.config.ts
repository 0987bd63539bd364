import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";

// Entries: the user API (index), the extension API for the pools (extension) and its worker-side half
// (worker-extension: all that a pool's worker or child entry loads), and the worker entry that every Thread runs
// (dist/thread-worker.js, exported as "@weft/threads/worker"). Both formats split shared code into chunks, so the
// entries of one format share one copy of every module: a thread's target importing "@weft/threads" sees the same
// module instance as the worker entry, and the extension shares the index's error classes.
/** The entries with declarations (acorn-bundled shares acorn-node's). */
const typedEntries = [
  "src/index.ts",
  "src/extension.ts",
  "src/worker-extension.ts",
  "src/thread-worker.ts",
  "src/acorn-node.ts",
];

export default defineConfig({
  entry: [...typedEntries, "src/acorn-bundled.ts"],
  // "#acorn" stays an import: package.json "imports" picks acorn-node (Node) or acorn-bundled (bundlers). The same
  // pair is the "./acorn" export, for the packages that carry a copy of the target description (@weft/pool).
  external: ["#acorn"],
  // Which build a module is in (worker-entry.ts: webpack rewrites worker URLs in ES modules only).
  esbuildOptions(options, context) {
    options.define = { ...options.define, __WEFT_FORMAT__: JSON.stringify(context.format) };
  },
  format: ["esm", "cjs"],
  esbuildPlugins: [builtinImports()],
  splitting: true,
  target: "node20",
  dts: {
    entry: typedEntries,
    compilerOptions: { ignoreDeprecations: "6.0" },
  },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
  shims: true,
});
