import { defineConfig } from "tsup";

const shared = {
  target: "node20",
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  // `pnpm build` empties dist first: the builds below run side by side and must not clean each other's files.
  clean: false,
} as const;

export default defineConfig([
  // The user API (index), the extension API for other weft packages (extension) and the error classes alone
  // (errors: for packages that load the rest on first need). Both formats split shared code into chunks, so the
  // entries of one format share one copy of every module (one error registry, one memory-provider registry,
  // one class per error).
  {
    ...shared,
    entry: ["src/index.ts", "src/extension.ts", "src/errors.ts"],
    format: ["esm", "cjs"],
    splitting: true,
    dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  },
  // "./load" (see src/load.ts): three small files that reach the index files above, kept as imports of them.
  {
    ...shared,
    entry: ["src/load.ts", "src/load-bundled.ts"],
    format: ["esm"],
    external: ["./index.js"],
    dts: { entry: ["src/load.ts"], compilerOptions: { ignoreDeprecations: "6.0" } },
  },
  {
    ...shared,
    entry: { load: "src/load-commonjs.ts" },
    format: ["cjs"],
    external: ["./index.cjs"],
    dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  },
]);
