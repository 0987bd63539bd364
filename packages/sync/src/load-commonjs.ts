// loadSync() of the CommonJS build (see load.ts): requires the CommonJS build beside this file on the first call.
let api: typeof import("./index.js") | undefined;

/**
 * @weft/sync's user API, loaded synchronously by the first call (see load.ts).
 *
 * @example
 * ```ts
 * const { loadSync } = require("@weft/sync/load");
 * loadSync().marshal.encode([1], { path: "args" });
 * ```
 */
export function loadSync(): typeof import("./index.js") {
  api ??= require("./index.cjs") as typeof import("./index.js");
  return api;
}
