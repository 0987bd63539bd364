// The one place that reaches into sibling packages: task targets and the error transport from @weft/threads,
// the marshal walk from @weft/sync, context propagation from @weft/local-storage (read through the slot it
// publishes, contextSnapshot: a program without a propagating ContextLocal does not load it). Everything else
// in this package imports from here, except the worker-side modules: they import worker-interop.ts, the part of
// this that a worker needs, from @weft/threads' worker-side extension (so a worker loads none of the main side).
export type { ContextSnapshot } from "@weft/local-storage";
export { InvalidStateError, marshal, TimeoutError } from "@weft/sync";
export { checkOptionKeys, checkTimeout, listenAbort, unlistenAbort } from "@weft/sync/extension";
export type { ModuleTarget, Target } from "@weft/threads";
export {
  checkResourceLimits,
  checkWorkerEntry,
  contextSnapshot,
  describeTarget,
  deserializeError,
  isLeaf,
  isTransportedError,
  locateWorkerEntry,
  reportWorkerFailure,
  startWorker,
  type TargetSpec,
  WorkerEntryError,
  type WorkerEntrySpec,
  withoutMainOnlyFlags,
} from "@weft/threads/extension";
