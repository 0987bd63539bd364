// How @weft/threads loads acorn under Node (package.json "imports" maps "#acorn" here for "import" and
// "require"): on first use, because most threads never describe a function target and acorn costs ~10 ms to load.
import { createRequire } from "node:module";

/**
 * acorn, loaded on first call. Throws what `require("acorn")` threw (a pruned deploy without acorn).
 *
 * @example
 * ```ts
 * const ast = loadAcorn().parse("(a) => a", { ecmaVersion: "latest" });
 * ```
 */
export function loadAcorn(): typeof import("acorn") {
  return createRequire(import.meta.url)("acorn") as typeof import("acorn");
}
