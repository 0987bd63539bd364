import { defineConfig } from "tsup";

// Two entries: the library, and dist/child.js (each pool child process runs it; found next to the library).
export default defineConfig({
  entry: ["src/index.ts", "src/child.ts"],
  format: ["esm", "cjs"],
  target: "node20",
  dts: { entry: ["src/index.ts"], compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
