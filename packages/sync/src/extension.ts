// @weft/sync/extension: what other weft packages (and transports written outside weft) build on. Not needed to
// use the primitives; see the README's "Extension API".

export { type AbortListener, listenAbort, unlistenAbort } from "./abort-listeners.js";
export { setBeforeBlocking } from "./before-blocking.js";
export { codeOf, type ErrorClass, errorClassFor, registerErrorClass } from "./coded-error.js";
export {
  detachedProblem,
  instanceProblem,
  isCloneLeaf,
  isPlainObject,
  proxyProblem,
  scalarProblem,
} from "./crossing-rules.js";
export { describeThrown } from "./describe-thrown.js";
export { isDetachedBuffer } from "./detached.js";
export { markThreadExited, watchWorker } from "./liveness.js";
export { checkOptionKeys, nearestName } from "./option-names.js";
export { checkTimeout, LongTimer } from "./timeouts.js";
