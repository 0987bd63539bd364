import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";

// Two entries: the user API (index) and the extension API for other weft packages (extension). Both formats
// split shared code into chunks, so the two entries of one format share one copy of every module (one error
// registry, one memory-provider registry).
export default defineConfig({
  entry: ["src/index.ts", "src/extension.ts"],
  format: ["esm", "cjs"],
  esbuildPlugins: [builtinImports()],
  splitting: true,
  target: "node20",
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
