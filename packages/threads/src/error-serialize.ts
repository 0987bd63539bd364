// Carries a thrown value across a thread or process boundary, sending side. Structured clone keeps only an
// Error's message and stack and turns custom error classes into plain `Error`s; serializeError keeps the name,
// `code`, `cause` chain, the errors of an AggregateError and other cloneable own properties, for
// deserializeError (error-deserialize.ts) to rebuild on the other side. A thrown value that is not an Error and
// cannot be cloned becomes a MarshalError's data (path `error...`), in the marshal walk's words when the caller
// passes the walk, else in the same words found without it (unsendable-thrown.ts). This half needs no other
// package, so a pool worker's entry loads only it.

import { describeValue, type ThrownValueWalk, unsendable } from "./unsendable-thrown.js";

export type { ThrownValueWalk } from "./unsendable-thrown.js";

/**
 * Options of {@link serializeError}.
 *
 * @example
 * ```ts
 * import { marshal } from "@weft/sync";
 * const options: SerializeErrorOptions = { marshal, crossProcess: true };
 * serializeError(thrown, options);
 * ```
 */
export interface SerializeErrorOptions {
  /**
   * `@weft/sync`'s `marshal`, when the sender has it loaded: a thrown value that cannot cross is then named by
   * the marshal walk itself (registered marshallers and all). Without it the same messages are built here, so a
   * worker never loads `@weft/sync` just to report an error.
   */
  readonly marshal?: ThrownValueWalk;
  /** The value is bound for another process: the message says "cannot cross processes". Default false. */
  readonly crossProcess?: boolean;
  /** Names the root of the value in the MarshalError's path and message (default "error"). */
  readonly path?: string;
}

/** The stable code of @weft/sync's MarshalError, by which the receiving side rebuilds it as that class. */
const MARSHAL_ERROR_CODE = "ERR_WEFT_MARSHAL";

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
      /**
       * Any other thrown value that structured clone can copy. (One that it cannot is sent as the data of a
       * `MarshalError`, an Error record above.)
       */
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
 * as an `Error` with the custom `name`. A thrown non-Error that structured clone can copy (a number, a string,
 * plain data) comes back as itself; one that it cannot (a function, a symbol, a Proxy, an object holding one of
 * those, a class instance that does not clone) comes back as a `MarshalError` whose `path` starts with `error`
 * (`error.callback is a function: functions cannot cross threads; ... (what was thrown: a plain object with keys
 * callback)`), as a result that cannot cross fails with one at `result`. So is a cause or AggregateError member
 * that cannot be copied (path `error.cause`, `error.errors[1]`). Never throws, whatever getters or Proxy traps
 * of the value do.
 *
 * @param thrown - what was thrown (or a rejection reason)
 * @param options - the marshal walk to name what cannot cross, if loaded; the boundary; the root's name
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
export function serializeError(thrown: unknown, options?: SerializeErrorOptions): TransportedError {
  const root = typeof options?.path === "string" ? options.path : "error";
  const context: Context = {
    walk: options?.marshal,
    crossProcess: options?.crossProcess === true,
  };
  return serializeNested(thrown, 0, root, context);
}

interface Context {
  readonly walk: ThrownValueWalk | undefined;
  readonly crossProcess: boolean;
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

function serialize(thrown: unknown, depth: number, path: string, context: Context): TransportedError {
  if (!isError(thrown)) {
    const refused = cloneRefusal(thrown);
    if (refused === undefined) return { error: false, value: thrown };
    return cannotCross(thrown, depth, path, context, refused.error);
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
    ...(hasCause ? { cause: serializeNested(read(e, "cause"), depth + 1, `${path}.cause`, context) } : {}),
    ...(Array.isArray(errors)
      ? { errors: errors.map((x, i) => serializeNested(x, depth + 1, `${path}.errors[${i}]`, context)) }
      : {}),
  };
}

function serializeNested(thrown: unknown, depth: number, path: string, context: Context): TransportedError {
  try {
    return serialize(thrown, depth, path, context);
  } catch {
    // A value that throws at every look (whatever the guards above did not foresee): say so.
    return marshalErrorData(
      `${path} could not be read to send it; throw an Error or plain data`,
      path,
      thrown,
      depth,
    );
  }
}

/**
 * The data of the MarshalError that stands for `thrown` (not an Error, refused by structured clone with
 * `cloneError`) at `path`: rebuilt as @weft/sync's MarshalError (by its code) on the receiving side.
 */
function cannotCross(
  thrown: unknown,
  depth: number,
  path: string,
  context: Context,
  cloneError: unknown,
): TransportedError {
  const why = unsendable(thrown, path, context.crossProcess, context.walk, cloneError);
  const data = marshalErrorData(why.message, why.path, thrown, depth);
  if (!why.hasCause || depth >= MAX_DEPTH) return data;
  return { ...data, cause: serializeNested(why.cause, depth + 1, `${path}.cause`, context) };
}

function marshalErrorData(
  message: string,
  path: string,
  thrown: unknown,
  depth: number,
): TransportedError & { error: true } {
  // What was thrown, in a few words (never a function's source): the path may point deep inside it.
  const full = `${message} (${depth === 0 ? "what was thrown" : "what was there"}: ${describeValue(thrown)})`;
  return {
    error: true,
    name: "MarshalError",
    message: full,
    stack: `MarshalError: ${full}`,
    dom: false,
    props: { code: MARSHAL_ERROR_CODE, path },
  };
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

/** undefined when structured clone copies `value`, else what it threw. */
function cloneRefusal(value: unknown): { error: unknown } | undefined {
  if (
    value === null ||
    (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol")
  ) {
    return undefined;
  }
  try {
    structuredClone(value);
    return undefined;
  } catch (error) {
    return { error };
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
