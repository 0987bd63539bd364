// What the worker-side modules (the task server, the worker entry) take from sibling packages: task loading and
// the error transport from @weft/threads' worker-side extension, context propagation from @weft/local-storage
// (the marshal walk of @weft/sync is loaded on first need: lazy-sync.ts). Main-side modules import from
// interop.ts.
export { type ContextSnapshot, runWith, snapshot } from "@weft/local-storage";
export type { TargetSpec } from "@weft/threads/worker-extension";
export {
  deserializeError,
  isLeaf,
  isTransportedError,
  loadTarget,
  nameWorkerThread,
  provideToFunctionTargets,
  serializeError,
  type TransportedError,
  WorkerEntryError,
} from "@weft/threads/worker-extension";
