// The one place that reaches into sibling packages: task targets and the error transport from @weft/threads,
// the marshal walk from @weft/sync, context propagation from @weft/local-storage. Everything else in this
// package imports from here.
export { type ContextSnapshot, runWith, snapshot } from "@weft/local-storage";
export { marshal } from "@weft/sync";
export { checkOptionKeys, checkTimeout, listenAbort, unlistenAbort } from "@weft/sync/extension";
export type { ModuleTarget, Target } from "@weft/threads";
export {
  checkWorkerEntry,
  describeTarget,
  deserializeError,
  isTransportedError,
  loadTarget,
  locateWorkerEntry,
  nameWorkerThread,
  provideToFunctionTargets,
  serializeError,
  startWorker,
  type TargetSpec,
  type TransportedError,
  WorkerEntryError,
  type WorkerEntrySpec,
  withoutMainOnlyFlags,
} from "@weft/threads/extension";
