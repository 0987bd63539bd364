import type { Plugin } from "esbuild";
/** An esbuild plugin that bundles static imports of sibling weft packages from their sources (see inline-siblings.mjs). */
export function inlineSiblings(
  sources: Record<string, string>,
  rewrite?: Record<string, string>,
  shared?: Record<string, string>,
): Plugin;
