// @weft/sync/extension: what other weft packages (and transports written outside weft) build on. Not needed to
// use the primitives; see the README's "Extension API".
export { codeOf, type ErrorClass, errorClassFor, registerErrorClass } from "./coded-error.js";
export { checkTimeout, LongTimer } from "./timeouts.js";
