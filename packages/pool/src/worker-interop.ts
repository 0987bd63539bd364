// What the worker-side modules (the task server, the worker entry) take from sibling packages: task loading and
// the error transport from @weft/threads' worker-side extension, the marshal walk from @weft/sync, context
// propagation from @weft/local-storage. Main-side modules import from interop.ts, which re-exports this.
export { type ContextSnapshot, runWith, snapshot } from "@weft/local-storage";
export { marshal } from "@weft/sync";
export type { TargetSpec } from "@weft/threads/worker-extension";
export {
  deserializeError,
  isTransportedError,
  loadTarget,
  nameWorkerThread,
  provideToFunctionTargets,
  serializeError,
  type TransportedError,
  WorkerEntryError,
} from "@weft/threads/worker-extension";
