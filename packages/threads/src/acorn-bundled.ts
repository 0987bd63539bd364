// How @weft/threads loads acorn in a bundle (package.json "imports" maps "#acorn" here for the "module"
// condition, which esbuild, webpack, rollup and Vite use and Node does not): a static import, so the bundler
// sees acorn and bundles it.
import * as acorn from "acorn";

/**
 * acorn, bundled with the app.
 *
 * @example
 * ```ts
 * const ast = loadAcorn().parse("(a) => a", { ecmaVersion: "latest" });
 * ```
 */
export function loadAcorn(): typeof import("acorn") {
  return acorn;
}
