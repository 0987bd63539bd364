// @weft/local-storage in a worker, loaded on first need. A worker needs it only to restore a task's propagated
// context (runWith), that is for a task submitted while a propagating ContextLocal was set: loading it up front
// cost every worker and child its first package resolution and ~20 KB of code before a first task that carries
// no context. It is imported as the package itself, so a task's own ContextLocals see the restored values.
import { LazyModule } from "./lazy-module.js";

type LocalStorageModule = typeof import("@weft/local-storage");

const localStorage = new LazyModule<LocalStorageModule>(() => import("@weft/local-storage"));

/** @weft/local-storage once a task carrying a context has made the task server load it, else undefined. */
export function localStorageIfLoaded(): LocalStorageModule | undefined {
  return localStorage.loaded;
}

/** Loads @weft/local-storage (once; a failed load is tried again next time). */
export function loadLocalStorage(): Promise<LocalStorageModule> {
  return localStorage.load();
}
