import { defineConfig } from "tsup";

// Three entries: the user API (index), the extension API for the pools (extension), and the worker entry that
// every Thread runs (dist/worker.js). Both formats split shared code into chunks, so the entries of one format
// share one copy of every module: a thread's target importing "@weft/threads" sees the same module instance as
// the worker entry, and the extension shares the index's error classes.
export default defineConfig({
  entry: ["src/index.ts", "src/extension.ts", "src/worker.ts"],
  format: ["esm", "cjs"],
  splitting: true,
  target: "node20",
  dts: { entry: ["src/index.ts", "src/extension.ts"], compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
  shims: true,
});
