// @weft/threads: Python's threading.Thread on Node worker threads. Plumbing for the pools (target description,
// error transport, worker start-up) is on the `@weft/threads/extension` subpath.
export type { ModuleTarget, Target } from "./describe-target.js";
export {
  ClosureError,
  TargetError,
  TargetLoadError,
  ThreadError,
  ThreadOptionError,
  ThreadStateError,
  WorkerEntryError,
} from "./errors.js";
export {
  defaultExcepthook,
  type ExceptHook,
  type ExceptHookArgs,
  getExcepthook,
  setExcepthook,
} from "./excepthook.js";
export {
  activeCount,
  currentThread,
  enumerate,
  type JoinOptions,
  mainThread,
  Thread,
  type ThreadOptions,
} from "./thread.js";
export { Timer, type TimerOptions } from "./timer.js";
