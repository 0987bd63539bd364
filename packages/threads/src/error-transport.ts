/**
 * Carries a thrown value from a thread to its joiner. Structured clone keeps only an Error's message and stack
 * and turns custom error classes into plain `Error`s; this keeps the name, `code`, `cause` chain, the errors of
 * an AggregateError and other cloneable own properties.
 */

/** A thrown value in structured-cloneable form. */
export type TransportedError =
  | {
      readonly error: true;
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly dom: boolean;
      readonly props: Record<string, unknown>;
      readonly cause?: TransportedError;
      readonly errors?: TransportedError[];
    }
  | { readonly error: false; readonly value: unknown };

const OWN_KEYS_HANDLED = new Set(["name", "message", "stack", "cause", "errors"]);

/** Converts anything thrown into data that survives postMessage. */
export function serializeError(thrown: unknown, depth = 0): TransportedError {
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
  const nested = depth < 8;
  return {
    error: true,
    name: String(e.name),
    message: String(e.message),
    stack: typeof e.stack === "string" ? e.stack : undefined,
    dom: isDomException(thrown),
    props,
    ...(nested && "cause" in e ? { cause: serializeError(e.cause, depth + 1) } : {}),
    ...(nested && Array.isArray(e.errors)
      ? { errors: e.errors.map((x) => serializeError(x, depth + 1)) }
      : {}),
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

/** Rebuilds the thrown value on the receiving side, keeping the original stack. */
export function deserializeError(data: TransportedError): unknown {
  if (!data.error) return data.value;
  let error: Error;
  if (data.dom) {
    error = new DOMException(data.message, data.name);
  } else if (data.errors !== undefined) {
    error = new AggregateError(data.errors.map(deserializeError), data.message);
  } else {
    const Ctor = BUILTIN_ERRORS[data.name] ?? Error;
    error = new Ctor(data.message);
  }
  if (error.name !== data.name) {
    Object.defineProperty(error, "name", { value: data.name, configurable: true, writable: true });
  }
  if (data.stack !== undefined) {
    Object.defineProperty(error, "stack", { value: data.stack, configurable: true, writable: true });
  }
  if (data.cause !== undefined) {
    Object.defineProperty(error, "cause", {
      value: deserializeError(data.cause),
      configurable: true,
      writable: true,
    });
  }
  Object.assign(error, data.props);
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
