import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";

// Two entries: the library (index) and the weft-worker CLI (dist/cli.js, the package's bin). Both formats
// split shared code into chunks, so the CLI and the library share one copy of every module.
export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  esbuildPlugins: [builtinImports()],
  splitting: true,
  shims: true,
  target: "node20",
  dts: { entry: ["src/index.ts"], compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
