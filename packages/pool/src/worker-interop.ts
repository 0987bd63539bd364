// What the worker-side modules (the task server, the worker entry) take from sibling packages: task loading and
// the error transport from @weft/threads' worker-side extension, the hook of blocking waits from @weft/sync's.
// The marshal walk of @weft/sync and context propagation from @weft/local-storage are loaded on first need
// (lazy-sync.ts, lazy-local-storage.ts).
// Main-side modules import from interop.ts.
export type { ContextSnapshot } from "@weft/local-storage";
export { setBeforeBlocking } from "@weft/sync/extension";
export type { TargetSpec } from "@weft/threads/worker-extension";
export {
  isLeaf,
  loadTarget,
  nameWorkerThread,
  provideToFunctionTargets,
  serializeError,
  type TransportedError,
  taskScope,
  WorkerEntryError,
} from "@weft/threads/worker-extension";
