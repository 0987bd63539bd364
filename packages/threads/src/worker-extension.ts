// @weft/threads/worker-extension: the worker-side half of the extension API, for worker and child entries (the
// pools' workers): loading a target, naming the worker thread, sending its errors back. It loads none of the
// main-side code (target description, the free-variable analysis, acorn, worker start-up), so a worker's
// module graph stays small. It shares every module with @weft/threads/extension (one build, shared chunks).
export { nameWorkerThread } from "./current-info.js";
export type { TargetSpec } from "./describe-target.js";
export { deserializeError } from "./error-deserialize.js";
export {
  isTransportedError,
  type SerializeErrorOptions,
  serializeError,
  type ThrownValueWalk,
  type TransportedError,
} from "./error-serialize.js";
export { WorkerEntryError } from "./errors.js";
export { isLeaf } from "./leaf.js";
export { type LoadedTarget, loadTarget } from "./load-target.js";
export { type TaskScope, taskScope } from "./local-storage-slots.js";
export { provideToFunctionTargets } from "./source-shims.js";
