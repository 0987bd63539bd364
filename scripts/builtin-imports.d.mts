import type { Plugin } from "esbuild";
/** An esbuild plugin that takes weft's built-in imports from `process.getBuiltinModule` (see builtin-imports.mjs). */
export function builtinImports(): Plugin;
