import { defineConfig } from "tsup";

// Four entries: the user API (index), the extension API (extension) and its worker-side half
// (worker-extension: what @weft/process-pool's child loads), and dist/pool-worker.js (each pool worker
// thread runs it; exported as "@weft/pool/worker"). Both formats split shared code into chunks, so index and
// extension of one format share one copy of every module (one ExecutorCore class, one set of error classes).
export default defineConfig({
  entry: ["src/index.ts", "src/extension.ts", "src/worker-extension.ts", "src/pool-worker.ts"],
  format: ["esm", "cjs"],
  splitting: true,
  shims: true,
  target: "node20",
  dts: {
    entry: ["src/index.ts", "src/extension.ts", "src/worker-extension.ts", "src/pool-worker.ts"],
    compilerOptions: { ignoreDeprecations: "6.0" },
  },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
