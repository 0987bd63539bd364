import { fileURLToPath } from "node:url";
import { defineConfig } from "tsup";

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const shared = {
  format: ["esm", "cjs"],
  shims: true,
  target: "node20",
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  // `pnpm build` empties dist first: the two builds below run side by side and must not clean each other's files.
  clean: false,
} as const;

export default defineConfig([
  // The user API (index), the extension API (extension) and its worker-side half (worker-extension: what
  // @weft/process-pool's child loads). Both formats split shared code into chunks, so index and extension of one
  // format share one copy of every module (one ExecutorCore class, one set of error classes).
  {
    ...shared,
    entry: ["src/index.ts", "src/extension.ts", "src/worker-extension.ts"],
    splitting: true,
    dts: {
      entry: ["src/index.ts", "src/extension.ts", "src/worker-extension.ts", "src/pool-worker.ts"],
      compilerOptions: { ignoreDeprecations: "6.0" },
    },
  },
  // dist/pool-worker.js, which every pool worker thread runs ("@weft/pool/worker"): one self-contained file, so a
  // worker's start-up compiles one module and resolves no package before its first task. It carries its own copy
  // of the worker-side modules of this package, @weft/threads and @weft/sync/extension, whose shared state (the
  // thread's identity, the running task, error codes) lives on globalThis; @weft/sync and @weft/local-storage stay
  // imports of the packages themselves, loaded on first need, so tasks see their classes and context.
  {
    ...shared,
    entry: ["src/pool-worker.ts"],
    splitting: false,
    noExternal: ["@weft/threads/worker-extension", "@weft/sync/extension"],
    external: ["@weft/sync", "@weft/local-storage"],
    // From their sources, module by module, so that only the modules the worker uses are in the file.
    esbuildOptions(options) {
      options.alias = {
        "@weft/threads/worker-extension": source("../threads/src/worker-extension.ts"),
        "@weft/sync/extension": source("../sync/src/extension.ts"),
      };
    },
    dts: false,
  },
]);
