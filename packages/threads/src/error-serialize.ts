// Carries a thrown value across a thread or process boundary, sending side. Structured clone keeps only an
// Error's message and stack and turns custom error classes into plain `Error`s; serializeError keeps the name,
// `code`, `cause` chain, the errors of an AggregateError and other cloneable own properties, for
// deserializeError (error-deserialize.ts) to rebuild on the other side. This half needs no other package, so a
// pool worker's entry loads only it.

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
  try {
    return serialize(thrown, 0);
  } catch {
    // A value that throws at every look (a Proxy whose traps throw): its description is all that can go.
    return { error: false, value: describe(thrown) };
  }
}

// Every look at the thrown value goes through these: a getter or a Proxy trap that throws must not turn the
// report of a task's error into an uncaught error that kills the worker running it.
function read(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function isError(value: unknown): boolean {
  try {
    return value instanceof Error || isDomException(value);
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws
  }
}

function text(value: unknown, fallback: string): string {
  return value === undefined ? fallback : describe(value);
}

function serialize(thrown: unknown, depth: number): TransportedError {
  if (!isError(thrown)) {
    return { error: false, value: cloneable(thrown) ? thrown : describe(thrown) };
  }
  const e = thrown as Error & { cause?: unknown; errors?: unknown };
  const props: Record<string, unknown> = {};
  let keys: string[];
  try {
    keys = Object.keys(e);
  } catch {
    keys = [];
  }
  for (const key of keys) {
    if (OWN_KEYS_HANDLED.has(key)) continue;
    const value = read(e, key);
    if (cloneable(value)) props[key] = value;
  }
  const nested = depth < MAX_DEPTH;
  const stack = read(e, "stack");
  let hasCause = false;
  try {
    hasCause = nested && "cause" in e;
  } catch {
    // a Proxy whose has trap throws: no cause
  }
  const errors = nested ? read(e, "errors") : undefined;
  return {
    error: true,
    name: text(read(e, "name"), "Error"),
    message: text(read(e, "message"), ""),
    stack: typeof stack === "string" ? stack : undefined,
    dom: isDomException(thrown),
    props,
    ...(hasCause ? { cause: serializeNested(read(e, "cause"), depth + 1) } : {}),
    ...(Array.isArray(errors) ? { errors: errors.map((x) => serializeNested(x, depth + 1)) } : {}),
  };
}

function serializeNested(thrown: unknown, depth: number): TransportedError {
  try {
    return serialize(thrown, depth);
  } catch {
    return { error: false, value: describe(thrown) };
  }
}

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

/** Whether `value` is a DOMException (which is not an `Error` subclass in every Node version). */
function isDomException(value: unknown): boolean {
  try {
    return typeof DOMException === "function" && value instanceof DOMException;
  } catch {
    return false;
  }
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
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return `[${typeof value} that cannot be described]`; // a Proxy whose get trap throws
    }
  }
}
