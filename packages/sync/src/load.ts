// @weft/sync's user API, loaded by the first call instead of up front: for packages that need it only on some
// paths (a pool marshals only arguments that are not plain values) and would otherwise pay its loading in every
// program's start-up. package.json's "./load" export picks one of three builds of loadSync():
//   load.ts          Node, ES modules, where Node can require() an ES module (the "module-sync" condition:
//                    Node 20.19+, 22.12+): requires ./index.js synchronously on the first call
//   load-commonjs.ts Node, CommonJS: requires ./index.cjs on the first call
//   load-bundled.ts  bundlers (the "module" condition) and older Node: a static import of ./index.js
// Each returns the module that `import("@weft/sync")` (or `require`) gives in the same format: one module
// instance, so classes and registries are the same.
import { createRequire } from "node:module";

let api: typeof import("./index.js") | undefined;

/**
 * @weft/sync's user API (what `import * as sync from "@weft/sync"` gives), loaded synchronously by the first
 * call. For packages built on @weft/sync that need it only on some paths.
 *
 * @example
 * ```ts
 * import { loadSync } from "@weft/sync/load";
 * const encoded = loadSync().marshal.encode([{ lock }], { path: "args" });
 * ```
 */
export function loadSync(): typeof import("./index.js") {
  // The ES module build sits beside this file (dist/index.js); require() of it returns its module namespace.
  api ??= createRequire(import.meta.url)("./index.js") as typeof import("./index.js");
  return api;
}
