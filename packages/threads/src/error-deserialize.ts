// Carries a thrown value across a thread or process boundary, receiving side: rebuilds what serializeError
// (error-serialize.ts) made, every registered weft error class (MarshalError, TimeoutError, CancelledError, ...)
// as that class, found by its stable `code`.

import { errorClassFor } from "@weft/sync/extension";
import { isTransportedError, type TransportedError } from "./error-serialize.js";
import { registerLocalStorageErrors } from "./local-storage-errors.js";

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds the value {@link serializeError} described, on the receiving side: an Error of the same built-in or
 * weft class (or an `Error` carrying another custom class's `name`) with the original message, stack, own properties and cause
 * chain; a thrown non-Error as it was sent.
 *
 * @param data - a {@link TransportedError}, as received
 * @throws TypeError when `data` is not something {@link serializeError} returned (see {@link isTransportedError})
 * @example
 * ```ts
 * // in the main thread
 * worker.on("message", (msg) => {
 *   if (!msg.ok) reject(deserializeError(msg.error)); // e.g. a RangeError with the worker's stack and code
 * });
 * ```
 */
export function deserializeError(data: TransportedError): unknown {
  if (!isTransportedError(data)) {
    throw new TypeError(
      "deserializeError(data): data must be what serializeError() returned (after crossing the thread or " +
        `process boundary unchanged), got ${data === null ? "null" : typeof data}.`,
    );
  }
  return rebuild(data);
}

function rebuild(data: TransportedError): unknown {
  if (!data.error) return data.value;
  let error: Error;
  // A weft error class registered in this thread (by the package that defines it) is rebuilt as that
  // class without running its constructor, whose parameters differ per class: its own properties (`code`,
  // `path`, `timeout`, ...) come from the sender like the message and stack.
  registerLocalStorageErrors();
  const Registered = data.dom ? undefined : errorClassFor(data.props.code);
  if (Registered !== undefined) {
    error = Object.create(Registered.prototype) as Error;
    Object.defineProperty(error, "message", { value: data.message, configurable: true, writable: true });
    if (data.errors !== undefined) {
      Object.defineProperty(error, "errors", {
        value: data.errors.map(rebuild),
        configurable: true,
        writable: true,
      });
    }
  } else if (data.dom) {
    error = new DOMException(data.message, data.name);
  } else if (data.errors !== undefined) {
    error = new AggregateError(data.errors.map(rebuild), data.message);
  } else {
    const Ctor = BUILTIN_ERRORS[data.name] ?? Error;
    error = new Ctor(data.message);
  }
  if (error.name !== data.name) {
    // weft classes declare `name` as an own (enumerable) field; built-in classes inherit it.
    Object.defineProperty(error, "name", {
      value: data.name,
      configurable: true,
      writable: true,
      enumerable: Registered !== undefined,
    });
  }
  if (data.stack !== undefined) {
    Object.defineProperty(error, "stack", { value: data.stack, configurable: true, writable: true });
  }
  if (data.cause !== undefined) {
    Object.defineProperty(error, "cause", {
      value: rebuild(data.cause),
      configurable: true,
      writable: true,
    });
  }
  // Defined, not assigned: a prototype accessor of the same name (a getter-only `code`) must not intercept it.
  for (const key of Object.keys(data.props)) {
    Object.defineProperty(error, key, {
      value: data.props[key],
      configurable: true,
      enumerable: true,
      writable: true,
    });
  }
  return error;
}
