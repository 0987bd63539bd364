// loadSync() for bundlers and for Node versions that cannot require() an ES module (see load.ts): a static
// import, which a bundler follows and bundles.
import * as api from "./index.js";

/**
 * @weft/sync's user API (see load.ts).
 *
 * @example
 * ```ts
 * import { loadSync } from "@weft/sync/load";
 * loadSync().marshal.decode(encoded);
 * ```
 */
export function loadSync(): typeof import("./index.js") {
  return api;
}
