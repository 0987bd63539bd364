import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";
import { inlineSiblings } from "../../scripts/inline-siblings.mjs";

const shared = {
  format: ["esm", "cjs"],
  target: "node20",
  esbuildPlugins: [builtinImports()],
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  // import.meta.url in the CJS build (used to find the addon next to the package).
  shims: true,
  // `pnpm build` empties dist first: the two builds below run side by side and must not clean each other's files.
  clean: false,
} as const;

export default defineConfig([
  // The user API.
  { ...shared, entry: ["src/index.ts"], dts: { compilerOptions: { ignoreDeprecations: "6.0" } } },
  // The extension API (inheritable memory for @weft/process-pool): one self-contained file, because a pool child
  // imports it (by path, from its parent) before its first task. It carries its own copy of the modules it uses
  // from this package and from @weft/sync/extension (the error registry is shared through globalThis, and error
  // classes are `instanceof`-compatible across copies); the addon itself is one per process (require's cache).
  {
    ...shared,
    entry: ["src/extension.ts"],
    splitting: false,
    noExternal: ["@weft/sync/extension"],
    esbuildPlugins: [
      builtinImports(),
      inlineSiblings({ "@weft/sync/extension": "packages/sync/src/extension.ts" }),
    ],
    dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  },
]);
