import { defineConfig } from "tsup";

// Two entries: the library, and the worker entry that every Thread runs (dist/worker.js). The ESM build shares
// one chunk between them, so a thread's target importing "@weft/threads" sees the same module instance.
export default defineConfig({
  entry: ["src/index.ts", "src/worker.ts"],
  format: ["esm", "cjs"],
  target: "node20",
  dts: { entry: "src/index.ts", compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: true,
  clean: true,
  shims: true,
});
