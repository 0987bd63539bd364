export { describeTarget, type ModuleTarget, type Target, type TargetSpec } from "./describe-target.js";
export {
  deserializeError,
  isTransportedError,
  serializeError,
  type TransportedError,
} from "./error-transport.js";
export {
  ClosureError,
  TargetError,
  TargetLoadError,
  ThreadError,
  ThreadOptionError,
  ThreadStateError,
} from "./errors.js";
export { type LoadedTarget, loadTarget } from "./load-target.js";
export {
  currentThread,
  enumerate,
  type JoinOptions,
  mainThread,
  Thread,
  type ThreadOptions,
} from "./thread.js";
