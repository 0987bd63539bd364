import { ERRORS_SLOT, publishOnce } from "./published-slots.js";

/**
 * Thrown by {@link snapshot} when a propagating {@link ContextLocal}'s value cannot be structured-cloned, so it
 * could not reach a worker thread or child process. `variable` names the ContextLocal; `cause` holds the
 * underlying clone error when there is one.
 *
 * @example
 * ```ts
 * const handler = new ContextLocal<() => void>({ name: "handler", propagate: true, default: () => {} });
 * handler.run(() => console.log("hi"), () => {
 *   try {
 *     snapshot();
 *   } catch (err) {
 *     if (err instanceof ContextSerializationError) console.log(err.variable); // "handler"
 *   }
 * });
 * ```
 */
export class ContextSerializationError extends TypeError {
  override name = "ContextSerializationError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_CONTEXT_SERIALIZATION";
  /** The name of the ContextLocal whose value could not be serialized. */
  readonly variable: string;

  /**
   * @param variable - name of the offending ContextLocal
   * @param reason - what is wrong with its value
   * @param options - `cause`: the underlying error
   * @example
   * ```ts
   * throw new ContextSerializationError("requestId", "is a symbol");
   * ```
   */
  constructor(variable: string, reason: string, options?: { cause?: unknown }) {
    super(
      `ContextLocal "${variable}" cannot be propagated: its value ${reason}. ` +
        "Propagating values must be structured-cloneable (primitives, plain objects, arrays, Map, Set, Date, " +
        "typed arrays...); store data instead, or create the ContextLocal with propagate: false.",
      options,
    );
    this.variable = variable;
  }
}

/**
 * Thrown by {@link ContextLocal.reset} when the token cannot be used: it was already used, it belongs to another
 * ContextLocal, or it was created in a different context (inside another `run`/`runWith` scope).
 *
 * @example
 * ```ts
 * const user = new ContextLocal<string>({ default: "anonymous" });
 * const token = user.set("ada");
 * user.reset(token);
 * try {
 *   user.reset(token);
 * } catch (err) {
 *   console.log(err instanceof ContextTokenError); // true: a token resets only once
 * }
 * ```
 */
export class ContextTokenError extends Error {
  override name = "ContextTokenError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_CONTEXT_TOKEN";
}

/**
 * Thrown by {@link ContextLocal.get} when the variable has no value in the current context and was created
 * without a `default` (Python's `LookupError`). Give the ContextLocal a `default` (it may be `undefined`) to get
 * a value instead.
 *
 * @example
 * ```ts
 * const tenant = new ContextLocal<string>({ name: "tenant" });
 * try {
 *   tenant.get();
 * } catch (err) {
 *   console.log(err instanceof ContextLookupError); // true
 * }
 * ```
 */
export class ContextLookupError extends Error {
  override name = "ContextLookupError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_CONTEXT_LOOKUP";
}

/**
 * Thrown by {@link runWith} when its first argument is neither `undefined` nor a value returned by
 * {@link snapshot} (after crossing a thread or process boundary).
 *
 * @example
 * ```ts
 * try {
 *   runWith({ requestId: "r1" } as never, () => {});
 * } catch (err) {
 *   console.log(err instanceof InvalidSnapshotError); // true
 * }
 * ```
 */
export class InvalidSnapshotError extends TypeError {
  override name = "InvalidSnapshotError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_INVALID_SNAPSHOT";
}

// Other weft packages rebuild these classes from errors that crossed a thread or process boundary without
// importing this package (see published-slots.ts).
publishOnce(
  ERRORS_SLOT,
  Object.freeze({ ContextSerializationError, ContextTokenError, ContextLookupError, InvalidSnapshotError }),
);
