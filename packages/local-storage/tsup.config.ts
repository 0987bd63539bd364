import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  target: "node20",
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
