// Carries a thrown value across a thread or process boundary. Structured clone keeps only an Error's message and
// stack and turns custom error classes into plain `Error`s; this keeps the name, `code`, `cause` chain, the
// errors of an AggregateError and other cloneable own properties, and rebuilds every registered weft error
// class (MarshalError, TimeoutError, CancelledError, ...) as that class, found by its stable `code`.

import { errorClassFor } from "@weft/sync/extension";
import { registerLocalStorageErrors } from "./local-storage-errors.js";

/**
 * A thrown value in structured-cloneable form, made by {@link serializeError} and turned back into the thrown
 * value by {@link deserializeError}. Send it with `postMessage` (or `process.send` with advanced
 * serialization); treat it as opaque.
 *
 * @example
 * ```ts
 * const data: TransportedError = serializeError(new RangeError("too big"));
 * port.postMessage({ failed: data });
 * ```
 */
export type TransportedError =
  | {
      /** An Error or DOMException. */
      readonly error: true;
      readonly name: string;
      readonly message: string;
      /** The stack from where it was thrown, in the thread that threw it. */
      readonly stack: string | undefined;
      /** Whether it is a DOMException (e.g. an AbortError). */
      readonly dom: boolean;
      /** Its own enumerable properties (such as `code`) whose values can be structured-cloned. */
      readonly props: Record<string, unknown>;
      readonly cause?: TransportedError;
      /** The members of an AggregateError. */
      readonly errors?: TransportedError[];
    }
  | {
      /** Any other thrown value: itself, or its `String()` description when it cannot be cloned. */
      readonly error: false;
      readonly value: unknown;
    };

const OWN_KEYS_HANDLED = new Set(["name", "message", "stack", "cause", "errors"]);

/** How deep a cause chain (or nesting of AggregateErrors) is followed; a longer or looping chain is cut. */
const MAX_DEPTH = 8;

/**
 * Turns anything thrown into data that survives `postMessage` or a child process's advanced serialization, so
 * that {@link deserializeError} on the other side rebuilds the error with its name, message, the original
 * stack, `code` and other cloneable own properties, its `cause` chain (up to 8 levels) and the members of an
 * AggregateError. Built-in error classes (TypeError, RangeError, ..., AggregateError, DOMException) and every
 * weft error class (found by its `code`) come back as instances of that class; another custom class comes back
 * as an `Error` with the custom `name`. A thrown
 * non-Error comes back as itself, or as its `String()` description when it cannot be structured-cloned.
 *
 * @param thrown - what was thrown (or a rejection reason)
 * @example
 * ```ts
 * // in a worker
 * try {
 *   parentPort.postMessage({ ok: true, value: await task() });
 * } catch (err) {
 *   parentPort.postMessage({ ok: false, error: serializeError(err) });
 * }
 * ```
 */
export function serializeError(thrown: unknown): TransportedError {
  return serialize(thrown, 0);
}

function serialize(thrown: unknown, depth: number): TransportedError {
  if (!(thrown instanceof Error) && !isDomException(thrown)) {
    return { error: false, value: cloneable(thrown) ? thrown : describe(thrown) };
  }
  const e = thrown as Error & { cause?: unknown; errors?: unknown };
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(e)) {
    if (OWN_KEYS_HANDLED.has(key)) continue;
    const value = (e as unknown as Record<string, unknown>)[key];
    if (cloneable(value)) props[key] = value;
  }
  const nested = depth < MAX_DEPTH;
  return {
    error: true,
    name: String(e.name),
    message: String(e.message),
    stack: typeof e.stack === "string" ? e.stack : undefined,
    dom: isDomException(thrown),
    props,
    ...(nested && "cause" in e ? { cause: serialize(e.cause, depth + 1) } : {}),
    ...(nested && Array.isArray(e.errors) ? { errors: e.errors.map((x) => serialize(x, depth + 1)) } : {}),
  };
}

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
 * Whether `data` has the shape of what {@link serializeError} returns, for a receiver that gets either that or
 * some other value on the same channel.
 *
 * @example
 * ```ts
 * const reason = isTransportedError(msg.error) ? deserializeError(msg.error) : msg.error;
 * ```
 */
export function isTransportedError(data: unknown): data is TransportedError {
  if (typeof data !== "object" || data === null) return false;
  const d = data as Record<string, unknown>;
  if (d.error === false) return "value" in d;
  return (
    d.error === true &&
    typeof d.name === "string" &&
    typeof d.message === "string" &&
    typeof d.dom === "boolean" &&
    typeof d.props === "object" &&
    d.props !== null
  );
}

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
  // A weft error class registered in this copy of weft (by the package that defines it) is rebuilt as that
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

function isDomException(value: unknown): boolean {
  return typeof DOMException === "function" && value instanceof DOMException;
}

function cloneable(value: unknown): boolean {
  if (
    value === null ||
    (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol")
  ) {
    return true;
  }
  if (typeof value === "function" || typeof value === "symbol") return false;
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
