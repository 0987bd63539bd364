import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";
import { inlineSiblings } from "../../scripts/inline-siblings.mjs";

const shared = {
  format: ["esm", "cjs"],
  // import.meta.url in the CommonJS build (where the child entry and @weft/native are looked up from).
  shims: true,
  target: "node20",
  esbuildPlugins: [builtinImports()],
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  // `pnpm build` empties dist first: the two builds below run side by side and must not clean each other's files.
  clean: false,
} as const;

export default defineConfig([
  // The library.
  {
    ...shared,
    entry: ["src/index.ts"],
    dts: {
      entry: ["src/index.ts", "src/process-child.ts"],
      compilerOptions: { ignoreDeprecations: "6.0" },
    },
  },
  // dist/process-child.js, which every pool child process runs ("@weft/process-pool/child"): one self-contained
  // file, so a child's start-up compiles one module and resolves no package before its first task. It carries its
  // own copy of the worker-side modules of @weft/pool, @weft/threads and @weft/sync/extension, whose shared state
  // (the thread's identity, the running task, error codes) lives on globalThis; @weft/sync, @weft/local-storage
  // and @weft/native stay imports of the packages themselves, loaded on first need.
  {
    ...shared,
    entry: ["src/process-child.ts"],
    splitting: false,
    noExternal: ["@weft/pool/worker-extension", "@weft/threads/worker-extension", "@weft/sync/extension"],
    external: ["@weft/sync", "@weft/local-storage", "@weft/native"],
    // From their sources, module by module, so that only the modules the child uses are in the file.
    esbuildPlugins: [
      builtinImports(),
      inlineSiblings({
        "@weft/pool/worker-extension": "packages/pool/src/worker-extension.ts",
        "@weft/threads/worker-extension": "packages/threads/src/worker-extension.ts",
        "@weft/sync/extension": "packages/sync/src/extension.ts",
      }),
    ],
    dts: false,
  },
]);
