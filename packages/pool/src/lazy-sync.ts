// @weft/sync's user API in a worker, loaded on first need. A worker needs it only for the marshal walk (an
// argument, initializer argument or result that is not a leaf, see leaf.ts): loading it up front cost every
// worker and child ~3 ms of its cold start for tasks that pass numbers and strings. It is imported as the
// package itself, so a task's own `import "@weft/sync"` sees the same module (the same classes).
import { LazyModule } from "./lazy-module.js";

type SyncModule = typeof import("@weft/sync");

const sync = new LazyModule<SyncModule>(() => import("@weft/sync"));

/**
 * @weft/sync's user API once the task server has loaded it (for a task that needed the marshal walk), else
 * undefined; it never loads anything (extension API, for worker entries).
 *
 * @example
 * ```ts
 * import { syncIfLoaded } from "@weft/pool/worker-extension";
 * const sync = syncIfLoaded(); // undefined while no task has passed more than numbers, strings and buffers
 * if (sync !== undefined) sync.marshal.decode(encoded);
 * ```
 */
export function syncIfLoaded(): SyncModule | undefined {
  return sync.loaded;
}

/** Loads @weft/sync (once; a failed load is tried again next time). */
export function loadSync(): Promise<SyncModule> {
  return sync.load();
}
