// @weft/threads/extension: what other weft packages (the pools) and transports written outside weft build on.
// Not needed to use threads; see the README's "Extension API".
export { nameWorkerThread } from "./current-info.js";
export { describeTarget, type TargetSpec } from "./describe-target.js";
export { deserializeError } from "./error-deserialize.js";
export {
  isTransportedError,
  type SerializeErrorOptions,
  serializeError,
  type ThrownValueWalk,
  type TransportedError,
} from "./error-serialize.js";
// Also in the user API (index); here so that a worker entry can name it without loading the user API.
export { WorkerEntryError } from "./errors.js";
export { reportWorkerFailure } from "./excepthook.js";
export { startWorker, withoutMainOnlyFlags } from "./exec-argv.js";
export { isLeaf } from "./leaf.js";
export { type LoadedTarget, loadTarget } from "./load-target.js";
export { contextSnapshot } from "./local-storage-slots.js";
export { checkResourceLimits } from "./resource-limits.js";
export { provideToFunctionTargets } from "./source-shims.js";
export {
  checkWorkerEntry,
  locateWorkerEntry,
  type WorkerEntrySpec,
} from "./worker-entry.js";
