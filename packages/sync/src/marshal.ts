import { types } from "node:util";
import { sharedBufferProblem } from "./cross-process.js";
import {
  detachedProblem,
  instanceProblem,
  isCloneLeaf,
  isPlainObject,
  proxyProblem,
  scalarProblem,
} from "./crossing-rules.js";
import { MarshalError } from "./errors.js";
import { type HasState, kState } from "./internal.js";
import { builtins } from "./marshal-builtins.js";
import { checkOptionKeys, kindOf, optionTypeError } from "./option-names.js";
import { WALK, type Walker, Walker as WalkerClass } from "./walk.js";

/**
 * How a kind of object crosses threads: `test` recognises it, `encode` turns it into structured-cloneable
 * data (which may itself contain weft primitives), `decode` rebuilds it on the other side. Within one
 * `marshal.encode` call, `encode` runs once per object however often it is referenced, and `decode` once per
 * encoded value, so shared references arrive as one object.
 *
 * @example
 * ```ts
 * registerMarshaller("Counter", {
 *   test: (v) => v instanceof Counter,
 *   encode: (c) => ({ lock: c.lock, cells: c.cells }),
 *   decode: (d) => new Counter(d.lock, d.cells),
 * });
 * ```
 */
export interface Marshaller<T = any, D = any> {
  test(value: unknown): boolean;
  encode(value: T): D;
  decode(data: D): T;
}

/** The property that tags an encoded weft object in marshalled data. */
const TAG = "__weft_marshal__";

interface Encoded {
  [TAG]: string;
  data: unknown;
}

const custom = new Map<string, Marshaller>();

/**
 * Teaches `marshal` a new kind of object. The kind name must be the same in every thread that decodes it;
 * built-in kinds (Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier) cannot be replaced.
 *
 * @example
 * ```ts
 * registerMarshaller("Point", { test: (v) => v instanceof Point, encode: (p) => [p.x, p.y],
 *   decode: ([x, y]) => new Point(x, y) });
 * ```
 */
export function registerMarshaller(kind: string, marshaller: Marshaller): void {
  if (typeof kind !== "string" || kind === "")
    throw new TypeError("registerMarshaller: kind must be a string");
  if (builtins.has(kind))
    throw new TypeError(`registerMarshaller: "${kind}" is a built-in kind of @weft/sync`);
  for (const key of ["test", "encode", "decode"] as const) {
    if (typeof marshaller?.[key] !== "function") {
      throw new TypeError(`registerMarshaller(${kind}): marshaller.${key} must be a function`);
    }
  }
  custom.set(kind, marshaller);
}

function encodeWith(kind: string, m: Marshaller, v: object, w: Walker): Encoded {
  let data: unknown;
  try {
    data = m.encode(v);
  } catch (e) {
    if (e instanceof MarshalError) throw e;
    throw w.error(`could not be encoded by the "${kind}" marshaller: ${(e as Error)?.message ?? String(e)}`);
  }
  return { [TAG]: kind, data: w.visit(data) };
}

const encodeRules = {
  scalar(v: unknown, w: Walker): unknown {
    // (The typeof tests first: a scalar that crosses costs no call.)
    if (typeof v === "function" || typeof v === "symbol") throw w.error(scalarProblem(v, w.boundary)!);
    return v;
  },
  object(v: object, w: Walker): unknown {
    // First: a Proxy would run its traps below, pass as what it imitates, and then fail in structured clone.
    if (types.isProxy(v)) throw w.error(proxyProblem(w.boundary));
    if (kState in v) {
      const kind = (v as HasState)[kState].kind;
      const b = builtins.get(kind);
      if (b !== undefined) return { [TAG]: kind, data: w.visit(b.encode(v, w)) };
    }
    for (const [kind, m] of custom) if (m.test(v)) return encodeWith(kind, m, v, w);
    if (Array.isArray(v) || v instanceof Map || v instanceof Set) return WALK;
    if (isPlainObject(v)) {
      if (TAG in v) throw w.error(`uses the reserved key "${TAG}"; rename that property`);
      return WALK;
    }
    if (isCloneLeaf(v)) {
      const detached = detachedProblem(v);
      if (detached !== undefined) throw w.error(detached);
      if (w.crossProcess) {
        const problem = sharedBufferProblem(v);
        if (problem !== undefined) throw w.error(problem);
      }
      return v;
    }
    throw w.error(instanceProblem(v, w.boundary));
  },
};

const decodeRules = {
  scalar(v: unknown): unknown {
    return v;
  },
  object(v: object, w: Walker): unknown {
    if (Array.isArray(v) || v instanceof Map || v instanceof Set) return WALK;
    if (!isPlainObject(v)) return v;
    if (!(TAG in v)) return WALK;
    const { [TAG]: kind, data } = v as Encoded;
    const b = builtins.get(kind);
    const m = custom.get(kind);
    if (b === undefined && m === undefined) {
      throw w.error(
        `is an encoded "${kind}", a kind this thread does not know; call registerMarshaller first`,
      );
    }
    const inner = w.visit(data);
    return b !== undefined ? b.decode(inner as Record<string, unknown>) : m!.decode(inner);
  },
};

/**
 * Options of {@link marshal}.encode.
 *
 * @example
 * ```ts
 * const options: EncodeOptions = { path: "items[3]", crossProcess: true };
 * const data = marshal.encode(item, options);
 * ```
 */
export interface EncodeOptions {
  /** Names the root of `value` in error messages and `MarshalError.path` (default "value"). */
  path?: string;
  /**
   * The data is bound for another process (e.g. `child_process` IPC), not only another thread: also reject,
   * with a MarshalError naming the path, what would arrive there as an unshared copy or not at all: a
   * SharedArrayBuffer or a view over one, and a primitive (built-in or inside a registered kind) whose memory
   * is a plain SharedArrayBuffer rather than a memory provider's (e.g. @weft/native's SharedMemory).
   * Primitives in provider memory pass, encoded as their provider's description. Default false.
   */
  crossProcess?: boolean;
}

const ENCODE_OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ path: true, crossProcess: true } satisfies Record<keyof EncodeOptions, true>),
);
function checkEncodeOptions(options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(
      `marshal.encode: options must be an object like { path, crossProcess }, got ${kindOf(options)}`,
    );
  }
  checkOptionKeys("marshal.encode options", options, ENCODE_OPTION_KEYS, optionTypeError);
  const { path, crossProcess } = options as EncodeOptions;
  if (path !== undefined && typeof path !== "string") {
    throw new TypeError(`marshal.encode options: path must be a string, got ${kindOf(path)}`);
  }
  if (crossProcess !== undefined && typeof crossProcess !== "boolean") {
    throw new TypeError(
      `marshal.encode options: crossProcess must be a boolean, got ${kindOf(crossProcess)}`,
    );
  }
}

/**
 * Options of {@link marshal}.decode.
 *
 * @example
 * ```ts
 * const options: DecodeOptions = { path: "args" };
 * const args = marshal.decode<unknown[]>(data, options);
 * ```
 */
export interface DecodeOptions {
  /**
   * Names the root of `data` in error messages and `MarshalError.path` (default "value"), as the sending
   * side's `encode` did: the receiving side then names a value it cannot rebuild the same way.
   */
  path?: string;
}

const DECODE_OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ path: true } satisfies Record<keyof DecodeOptions, true>),
);
function checkDecodeOptions(options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`marshal.decode: options must be an object like { path }, got ${kindOf(options)}`);
  }
  checkOptionKeys("marshal.decode options", options, DECODE_OPTION_KEYS, optionTypeError);
  const { path } = options as DecodeOptions;
  if (path !== undefined && typeof path !== "string") {
    throw new TypeError(`marshal.decode options: path must be a string, got ${kindOf(path)}`);
  }
}

/**
 * The marshal protocol: how arguments and results cross threads (and, with `@weft/native`, processes).
 * `encode` walks arrays, plain objects, Maps and Sets, keeps structured-cloneable leaves, and replaces every
 * weft primitive by a tagged record; anything that cannot cross (functions, symbols, proxies, promises, weak
 * collections, class instances no marshaller knows, data nested more than 1000 levels deep) throws
 * {@link MarshalError} naming its path.
 * `decode` rebuilds each primitive over the same shared memory, so a Lock passed to a thread is the same
 * lock there. As with structured clone, every reference to one object within one call gives one result: a
 * Lock passed twice, or an object holding one that is referenced twice, decodes to one object (a new one per
 * call). Both return their input unchanged (same reference) when nothing needed replacing.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * worker.postMessage(marshal.encode({ lock, n: 3 }));
 * // in the worker:
 * parentPort.on("message", (m) => { const { lock, n } = marshal.decode<{ lock: Lock; n: number }>(m); });
 * ```
 */
export const marshal = {
  /**
   * Turns `value` into structured-cloneable data. `options.path` names the root in errors (default
   * "value"; threads use "args" and "result"). With `options.crossProcess`, the data is checked for another
   * process as well (see {@link EncodeOptions.crossProcess}).
   *
   * @example
   * ```ts
   * const data = marshal.encode([lock, 42], { path: "args" });
   * marshal.encode([new SharedArrayBuffer(8)], { path: "args", crossProcess: true });
   * // MarshalError: args[0] is a SharedArrayBuffer: memory shared between threads cannot cross processes; ...
   * ```
   */
  encode(value: unknown, options?: EncodeOptions): unknown {
    if (options !== undefined) checkEncodeOptions(options);
    return new WalkerClass(options?.path ?? "value", encodeRules, options?.crossProcess === true).run(value);
  },
  /**
   * Rebuilds what `encode` produced, re-attaching primitives to their shared memory. `options.path` names the
   * root in errors (default "value"), e.g. a kind this thread has no marshaller for: `args[1] is an encoded
   * "point", a kind this thread does not know; ...`.
   *
   * @example
   * ```ts
   * const [lock, n] = marshal.decode<[Lock, number]>(data, { path: "args" });
   * ```
   */
  decode<T = unknown>(data: unknown, options?: DecodeOptions): T {
    if (options !== undefined) checkDecodeOptions(options);
    return new WalkerClass(options?.path ?? "value", decodeRules).run(data) as T;
  },
};
