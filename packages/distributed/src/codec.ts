// How values cross machines: @weft/sync's marshal walk checks them (with the path of anything that cannot
// cross a process boundary), errors anywhere in them become tagged records that keep their class, code,
// stack, cause and own properties, and V8's serializer (what child_process' advanced serialization uses)
// keeps Date, Map, Set, BigInt, typed arrays, RegExp, cycles and shared references. The bytes travel as a
// base64 string, because BullMQ stores job data and results as JSON; values JSON keeps exactly (numbers,
// strings, booleans, null, flat lists of them) travel as JSON, which is cheaper.
import { deserialize, serialize } from "node:v8";
import { MarshalError, marshal } from "@weft/sync";
import { describeThrown, errorClassFor } from "@weft/sync/extension";

/** The property that tags an error record (an own key no plain data of the user's should use). */
const ERROR_TAG = "__weft_error__";
/** Kinds of @weft/sync primitives: their memory is on one machine, so they cannot travel to another. */
const SHARED_KINDS = new Set([
  "Lock",
  "RLock",
  "Semaphore",
  "BoundedSemaphore",
  "Event",
  "Condition",
  "Barrier",
]);
const MARSHAL_TAG = "__weft_marshal__";
/** Own keys of an error that its record carries in fields of their own. */
const OWN_KEYS_HANDLED = new Set(["name", "message", "stack", "cause", "errors"]);
/** How deep an error's cause chain (or AggregateError nesting) is followed. */
const MAX_ERROR_DEPTH = 8;

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Flags of an encoded payload: whether decoding has error records to rebuild; whether an outcome is a success. */
const HAS_ERRORS = 1;
const OK = 2;

function isObject(v: unknown): v is object {
  return typeof v === "object" && v !== null;
}

function isPlain(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Rewrites marshal's output for another machine: errors to records, shared primitives refused. */
class Outbound {
  hasErrors = false;
  readonly #seen = new Map<object, unknown>();
  constructor(readonly root: string) {}

  visit(v: unknown, path: string, depth = 0): unknown {
    if (!isObject(v)) return v;
    const known = this.#seen.get(v);
    if (known !== undefined) return known;
    if (v instanceof Error || isDomException(v)) return this.#error(v as Error, path, depth);
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      this.#seen.set(v, out);
      for (let i = 0; i < v.length; i++) if (i in v) out[i] = this.visit(v[i], `${path}[${i}]`); // holes stay holes
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      this.#seen.set(v, out);
      let i = 0;
      for (const [k, x] of v) {
        out.set(this.visit(k, `${path}.<key ${i}>`), this.visit(x, `${path}.get(${describeKey(k, i)})`));
        i++;
      }
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      this.#seen.set(v, out);
      let i = 0;
      for (const x of v) out.add(this.visit(x, `${path}.<item ${i++}>`));
      return out;
    }
    if (!isPlain(v)) return v; // a structured-cloneable leaf marshal accepted (Date, typed array, ...)
    const record = v as Record<string, unknown>;
    if (typeof record[MARSHAL_TAG] === "string" && SHARED_KINDS.has(record[MARSHAL_TAG])) {
      throw new MarshalError(
        path,
        `is a ${record[MARSHAL_TAG]}: weft primitives live in memory shared by one machine's threads or processes ` +
          "and cannot cross to another machine; coordinate through Redis instead (or pass plain data)",
      );
    }
    if (ERROR_TAG in record)
      throw new MarshalError(path, `uses the reserved key "${ERROR_TAG}"; rename that property`);
    const out: Record<string, unknown> = {};
    this.#seen.set(v, out);
    for (const key of Object.keys(record)) out[key] = this.visit(record[key], `${path}.${key}`);
    return out;
  }

  #error(e: Error & { cause?: unknown; errors?: unknown }, path: string, depth: number): unknown {
    this.hasErrors = true;
    const props: Record<string, unknown> = {};
    const out = {
      [ERROR_TAG]: isDomException(e) ? "dom" : "error",
      name: String(e.name),
      message: String(e.message),
      stack: typeof e.stack === "string" ? e.stack : undefined,
      props,
    } as Record<string, unknown>;
    this.#seen.set(e, out);
    for (const key of Object.keys(e)) {
      if (OWN_KEYS_HANDLED.has(key)) continue;
      const where = `${path}.${key}`;
      props[key] = this.#lenient(() =>
        this.visit(checked((e as unknown as Record<string, unknown>)[key], where), where),
      );
    }
    if (depth < MAX_ERROR_DEPTH) {
      if ("cause" in e)
        out.cause = this.#lenient(() =>
          this.visit(checked(e.cause, `${path}.cause`), `${path}.cause`, depth + 1),
        );
      if (Array.isArray(e.errors)) {
        out.errors = e.errors.map((x, i) =>
          this.#lenient(() =>
            this.visit(checked(x, `${path}.errors[${i}]`), `${path}.errors[${i}]`, depth + 1),
          ),
        );
      }
    }
    return out;
  }

  /** Part of an error that cannot cross is replaced by its description rather than failing the whole value. */
  #lenient(encode: () => unknown): unknown {
    try {
      return encode();
    } catch (err) {
      return err instanceof MarshalError ? `[not sendable: ${err.message}]` : undefined;
    }
  }
}

/** An error's cause or member, checked by marshal like any value (it was not walked with the error). */
function checked(v: unknown, path: string): unknown {
  return isObject(v) || typeof v === "function" || typeof v === "symbol"
    ? marshal.encode(v, { path, crossProcess: true })
    : v;
}

function describeKey(k: unknown, i: number): string {
  return typeof k === "string" ? JSON.stringify(k) : typeof k === "number" ? String(k) : `<key ${i}>`;
}

function isDomException(v: unknown): boolean {
  return typeof DOMException === "function" && v instanceof DOMException;
}

/** Rebuilds error records (and marshal's tagged kinds) after V8 deserialization. */
class Inbound {
  readonly #seen = new Map<object, unknown>();

  visit(v: unknown): unknown {
    if (!isObject(v)) return v;
    const known = this.#seen.get(v);
    if (known !== undefined) return known;
    if (Array.isArray(v)) {
      this.#seen.set(v, v);
      for (let i = 0; i < v.length; i++) if (i in v) v[i] = this.visit(v[i]);
      return v;
    }
    if (v instanceof Map) {
      const entries = [...v];
      v.clear();
      this.#seen.set(v, v);
      for (const [k, x] of entries) v.set(this.visit(k), this.visit(x));
      return v;
    }
    if (v instanceof Set) {
      const items = [...v];
      v.clear();
      this.#seen.set(v, v);
      for (const x of items) v.add(this.visit(x));
      return v;
    }
    if (!isPlain(v)) return v;
    const record = v as Record<string, unknown>;
    if (typeof record[ERROR_TAG] === "string") return this.#error(record);
    this.#seen.set(v, v);
    for (const key of Object.keys(record)) record[key] = this.visit(record[key]);
    return v;
  }

  #error(r: Record<string, unknown>): Error {
    const name = String(r.name);
    const message = String(r.message);
    const props = (r.props ?? {}) as Record<string, unknown>;
    let error: Error;
    const Registered = r[ERROR_TAG] === "dom" ? undefined : errorClassFor(props.code);
    if (Registered !== undefined) {
      // A weft error class is rebuilt without running its constructor (whose parameters differ per class).
      error = Object.create(Registered.prototype) as Error;
      define(error, "message", message, false);
    } else if (r[ERROR_TAG] === "dom") {
      error = new DOMException(message, name);
    } else if (Array.isArray(r.errors)) {
      error = new AggregateError([], message);
    } else {
      error = new (BUILTIN_ERRORS[name] ?? Error)(message);
    }
    this.#seen.set(r, error);
    if (error.name !== name) define(error, "name", name, Registered !== undefined);
    if (typeof r.stack === "string") define(error, "stack", r.stack, false);
    if ("cause" in r) define(error, "cause", this.visit(r.cause), false);
    if (Array.isArray(r.errors))
      define(
        error,
        "errors",
        r.errors.map((x) => this.visit(x)),
        false,
      );
    for (const key of Object.keys(props)) define(error, key, this.visit(props[key]), true);
    return error;
  }
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  // Defined, not assigned: a prototype accessor of the same name (a getter-only `code`) must not intercept it.
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable });
}

/** Starts a JSON payload (never the first character of base64). */
const JSON_MARK = "~";
const JSON_MARK_CODE = 126;

/** A value JSON keeps exactly: a string, boolean, null, finite number other than -0. */
function jsonScalar(v: unknown): boolean {
  const t = typeof v;
  return (
    t === "string" ||
    t === "boolean" ||
    v === null ||
    (t === "number" && Number.isFinite(v) && !Object.is(v, -0))
  );
}

/** A JSON-safe scalar, or an array (without holes) of them. */
function isJsonSafe(v: unknown): boolean {
  if (!Array.isArray(v)) return jsonScalar(v);
  for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonScalar(v[i])) return false;
  return true;
}

function needsWalk(v: unknown): boolean {
  if (v === null || (typeof v !== "object" && typeof v !== "function" && typeof v !== "symbol")) return false;
  if (!Array.isArray(v)) return true;
  // The common argument list of numbers and strings needs no walk (and allocates nothing to find out).
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== null && (typeof x === "object" || typeof x === "function" || typeof x === "symbol"))
      return true;
  }
  return false;
}

/**
 * Encodes `value` for another machine as a base64 string. Throws {@link MarshalError} naming the path (under
 * `root`, e.g. `args[1].when`) of a value that cannot cross, and when the encoded size exceeds `maxBytes`
 * (naming the largest element when `value` is an array).
 */
export function encodeValue(value: unknown, root: string, maxBytes: number, extraFlags = 0): string {
  if (isJsonSafe(value)) {
    // The common case (numbers, strings, booleans, null, or a flat list of them) as JSON: what V8's
    // serializer would keep, for a fraction of the cost on both sides.
    const text = `${JSON_MARK}${extraFlags}${JSON.stringify(value)}`;
    if (text.length > maxBytes / 3 && Buffer.byteLength(text) > maxBytes) {
      throw oversize(value, root, Buffer.byteLength(text), maxBytes);
    }
    return text;
  }
  let tree = value;
  let flags = extraFlags;
  if (needsWalk(value)) {
    const checkedTree = forAnotherMachine(() => marshal.encode(value, { path: root, crossProcess: true }));
    const out = new Outbound(root);
    tree = out.visit(checkedTree, root);
    if (out.hasErrors) flags |= HAS_ERRORS;
  }
  let bytes: Buffer;
  try {
    bytes = serialize([flags, tree]);
  } catch (err) {
    throw new MarshalError(root, `could not be serialized: ${(err as Error).message}`);
  }
  if (bytes.length > maxBytes) throw oversize(value, root, bytes.length, maxBytes);
  return bytes.toString("base64");
}

/**
 * Runs marshal's check; its advice for shared memory (use @weft/native's process-shared memory) does not
 * hold across machines, so that error is restated.
 */
function forAnotherMachine<T>(encode: () => T): T {
  try {
    return encode();
  } catch (err) {
    if (err instanceof MarshalError && /SharedArrayBuffer|shared between threads/.test(err.message)) {
      const what = err.message.slice(err.path.length + 1).split(":")[0];
      throw new MarshalError(
        err.path,
        `${what}: shared memory cannot cross to another machine; pass plain data, or coordinate through Redis`,
      );
    }
    throw err;
  }
}

function oversize(value: unknown, root: string, size: number, maxBytes: number): MarshalError {
  let path = root;
  if (Array.isArray(value) && value.length > 0) {
    let biggest = 0;
    let index = 0;
    for (let i = 0; i < value.length; i++) {
      let n = 0;
      try {
        n = serialize(value[i]).length;
      } catch {
        n = 0;
      }
      if (n > biggest) [biggest, index] = [n, i];
    }
    path = `${root}[${index}]`;
  }
  return new MarshalError(
    path,
    `is too large to send through Redis: the encoded ${root} take ${size} bytes, over maxPayloadBytes ` +
      `(${maxBytes}); store big data elsewhere (a file, an object store) and pass its address, or raise maxPayloadBytes`,
  );
}

/**
 * Decodes what {@link encodeValue} produced. `root` names the value in a MarshalError for something this side
 * cannot rebuild (a kind registered with registerMarshaller only where it was encoded), as the encoding side
 * names it: `args[0].at[0] is an encoded "point", a kind this thread does not know`.
 */
export function decodeValue<T = unknown>(text: string, root: string): T {
  return decode(text, root)[1] as T;
}

/** Roots of the decoded values' paths: a whole argument list, a result, an error. */
const ARGS = { path: "args" } as const;
const RESULT = { path: "result" } as const;
const ERROR = { path: "error" } as const;
const ROOTS: Record<string, typeof ARGS | typeof RESULT | typeof ERROR> = {
  args: ARGS,
  result: RESULT,
  error: ERROR,
};

/** Decodes `text`; `root` names it in errors (an outcome's: "result" or "error" by its flags). */
function decode(text: string, root?: string): [flags: number, value: unknown] {
  if (text.charCodeAt(0) === JSON_MARK_CODE) return [text.charCodeAt(1) - 48, JSON.parse(text.slice(2))];
  const [flags, tree] = deserialize(Buffer.from(text, "base64")) as [number, unknown];
  const rebuilt = flags & HAS_ERRORS ? new Inbound().visit(tree) : tree;
  if (!needsWalk(rebuilt)) return [flags, rebuilt];
  const path = root ?? (flags & OK ? "result" : "error");
  return [flags, marshal.decode(rebuilt, ROOTS[path] ?? { path })];
}

/**
 * Encodes a task's outcome (its result, or what it threw). A result that cannot cross, or is too large,
 * becomes the MarshalError (path `result...`) as a failed outcome, so the caller learns why; an error thrown
 * while reading the value (a getter) becomes the failed outcome itself, as in the pools.
 */
export function encodeOutcome(ok: boolean, value: unknown, maxBytes: number): string {
  const root = ok ? "result" : "error";
  try {
    return encodeValue(value, root, maxBytes, ok ? OK : 0);
  } catch (err) {
    try {
      return encodeValue(err, "error", maxBytes, 0);
    } catch (again) {
      // That error cannot be read either: say so, with what can be told of it.
      return encodeValue(
        new MarshalError(root, `could not be read to send it: ${describeThrown(again)}`),
        "error",
        maxBytes,
        0,
      );
    }
  }
}

/** Decodes what {@link encodeOutcome} produced: `[1, result]` or `[0, error]`. */
export function decodeOutcome(text: string): [ok: 0 | 1, value: unknown] {
  const [flags, value] = decode(text);
  return [flags & OK ? 1 : 0, value];
}
