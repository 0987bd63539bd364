import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  esbuildPlugins: [builtinImports()],
  target: "node20",
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
