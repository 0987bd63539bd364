// Errors cross threads and processes as plain records so that the class name, message, the worker's stack,
// a code and other own data properties survive (structured clone keeps only some of them).

interface ErrorRecord {
  e: 1;
  name: string;
  message: string;
  stack: string | undefined;
  props: Record<string, unknown> | undefined;
  cause: unknown;
}

const BUILTIN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function cloneable(v: unknown): boolean {
  const t = typeof v;
  return (
    v === null || t === "string" || t === "number" || t === "boolean" || t === "bigint" || t === "undefined"
  );
}

/** Internal: turns anything thrown into a structured-cloneable description. */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) {
    if (cloneable(err)) return err;
    try {
      structuredClone(err);
      return err;
    } catch {
      return {
        e: 1,
        name: "Error",
        message: String(err),
        stack: undefined,
        props: undefined,
        cause: undefined,
      };
    }
  }
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(err)) {
    const v = (err as unknown as Record<string, unknown>)[key];
    if (key === "cause" || !cloneable(v)) continue;
    props ??= {};
    props[key] = v;
  }
  const record: ErrorRecord = {
    e: 1,
    name: err.name,
    message: err.message,
    stack: err.stack,
    props,
    cause: err.cause === undefined ? undefined : serializeError(err.cause),
  };
  return record;
}

/** Internal: rebuilds an Error (of the built-in class when the name is one) from {@link serializeError}. */
export function deserializeError(data: unknown): unknown {
  if (typeof data !== "object" || data === null || (data as ErrorRecord).e !== 1) return data;
  const r = data as ErrorRecord;
  const Ctor = BUILTIN[r.name] ?? Error;
  const err = new Ctor(r.message, r.cause === undefined ? undefined : { cause: deserializeError(r.cause) });
  if (err.name !== r.name)
    Object.defineProperty(err, "name", { value: r.name, configurable: true, writable: true });
  if (r.stack !== undefined) err.stack = r.stack;
  if (r.props !== undefined) Object.assign(err, r.props);
  return err;
}
