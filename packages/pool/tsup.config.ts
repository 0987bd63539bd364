import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";
import { inlineSiblings } from "../../scripts/inline-siblings.mjs";

const shared = {
  format: ["esm", "cjs"],
  shims: true,
  target: "node20",
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  // `pnpm build` empties dist first: the two builds below run side by side and must not clean each other's files.
  clean: false,
} as const;

// Both builds carry their own copy of the modules they use from @weft/threads' extension APIs and from
// @weft/sync/extension, bundled from source: every file and every package an ES module graph reaches costs a
// cold start time of its own (resolution, reading, a module job), about as much as compiling the code. Those
// modules keep their shared state on globalThis (the thread's identity, the excepthook, the running task, the
// error registry), and weft's error classes are `instanceof`-compatible across copies (code-based). The packages
// whose classes and state users see stay imports of the packages themselves: @weft/sync (the primitives and the
// marshal walk), @weft/local-storage (ContextLocal; the main side only reads the slots it publishes, see
// local-storage-slots.ts in @weft/threads), and @weft/threads where a Thread is handed to user code.
const sources = {
  "@weft/threads/extension": "packages/threads/src/extension.ts",
  "@weft/threads/worker-extension": "packages/threads/src/worker-extension.ts",
  "@weft/sync/extension": "packages/sync/src/extension.ts",
};
const acorn = { "#acorn": "@weft/threads/acorn" };
// (The main side imports @weft/sync's error classes from @weft/sync, which it loads anyway for the marshal walk;
// the worker side loads @weft/sync only on first need, so it may not import it up front.)
const mainSiblings = inlineSiblings(sources, acorn, { "packages/sync/src/errors.ts": "@weft/sync" });
const workerSiblings = inlineSiblings(sources, acorn);
const inlined = ["@weft/threads/extension", "@weft/threads/worker-extension", "@weft/sync/extension"];

export default defineConfig([
  // The user API (index) and the extension API (extension). Both formats split shared code into chunks, so index
  // and extension of one format share one copy of every module (one ExecutorCore class, one set of error classes).
  {
    ...shared,
    entry: ["src/index.ts", "src/extension.ts"],
    splitting: true,
    noExternal: inlined,
    esbuildPlugins: [builtinImports(), mainSiblings],
    dts: {
      entry: ["src/index.ts", "src/extension.ts", "src/worker-extension.ts", "src/pool-worker.ts"],
      compilerOptions: { ignoreDeprecations: "6.0" },
    },
  },
  // dist/pool-worker.js, which every pool worker thread runs ("@weft/pool/worker"), and the worker-side half of the
  // extension API (worker-extension: for transports' own child entries): each one self-contained file, so a
  // worker's start-up compiles one module and resolves no package before its first task. @weft/sync and
  // @weft/local-storage are loaded on first need (lazy-sync.ts, lazy-local-storage.ts).
  {
    ...shared,
    entry: ["src/pool-worker.ts", "src/worker-extension.ts"],
    splitting: false,
    noExternal: inlined,
    esbuildPlugins: [builtinImports(), workerSiblings],
    dts: false,
  },
]);
