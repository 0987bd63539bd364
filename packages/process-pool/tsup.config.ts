import { defineConfig } from "tsup";

// Two entries: the library, and dist/process-child.js (each pool child process runs it; exported as
// "@weft/process-pool/child").
export default defineConfig({
  entry: ["src/index.ts", "src/process-child.ts"],
  format: ["esm", "cjs"],
  // import.meta.url in the CommonJS build (where the child entry and @weft/native are looked up from).
  shims: true,
  target: "node20",
  dts: { entry: ["src/index.ts", "src/process-child.ts"], compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
