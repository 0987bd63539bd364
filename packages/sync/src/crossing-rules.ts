// What cannot cross a thread or process boundary, and how to say so: the marshal walk's rules for one value,
// in one place for the walk (marshal.ts) and for the threads' report of a thrown value that cannot be copied
// when the walk is not loaded in that thread (@weft/threads' unsendable-thrown.ts, through the extension API).
import { isDetachedBuffer } from "./detached.js";

const plainProto = Object.prototype;

/**
 * True for an object literal (or one without a prototype): the walk visits its own enumerable keys.
 * Extension API.
 *
 * @example
 * ```ts
 * isPlainObject({ a: 1 }); // true
 * isPlainObject(new Date()); // false
 * ```
 */
export function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === plainProto || p === null;
}

/**
 * True for the objects structured clone copies as they are and that cannot hold a weft primitive: buffers and
 * views, dates, regular expressions, errors and boxed primitives. Extension API.
 *
 * @example
 * ```ts
 * isCloneLeaf(new Uint8Array(4)); // true
 * isCloneLeaf({}); // false
 * ```
 */
export function isCloneLeaf(v: object): boolean {
  return (
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof SharedArrayBuffer ||
    v instanceof Date ||
    v instanceof RegExp ||
    v instanceof Error ||
    v instanceof Number ||
    v instanceof String ||
    v instanceof Boolean
  );
}

/**
 * Why a function or a symbol cannot cross `boundary` ("threads", "processes"), after its path; undefined for
 * any other value. Extension API.
 *
 * @example
 * ```ts
 * scalarProblem(() => 1, "threads"); // "is a function: functions cannot cross threads; ..."
 * ```
 */
export function scalarProblem(v: unknown, boundary: string): string | undefined {
  if (typeof v === "function")
    return `is a function: functions cannot cross ${boundary}; pass data or a module target`;
  if (typeof v === "symbol") return `is a symbol: symbols cannot cross ${boundary}; pass a string`;
  return undefined;
}

/**
 * Why a Proxy cannot cross, after its path (checked before anything else looks at it: its traps would run).
 * Extension API.
 *
 * @example
 * ```ts
 * proxyProblem("threads"); // "is a Proxy: proxies cannot cross threads; ..."
 * ```
 */
export function proxyProblem(boundary: string): string {
  return `is a Proxy: proxies cannot cross ${boundary}; pass the object it wraps, or a plain copy of it`;
}

/** Why `v` (a clone leaf) cannot be cloned because its memory was transferred away, or undefined. */
export function detachedProblem(v: object): string | undefined {
  const buffer = v instanceof ArrayBuffer ? v : ArrayBuffer.isView(v) ? v.buffer : undefined;
  if (!(buffer instanceof ArrayBuffer) || !isDetachedBuffer(buffer)) return undefined;
  const what =
    v === buffer ? "a detached ArrayBuffer" : `a ${v.constructor.name} over a detached ArrayBuffer`;
  return (
    `is ${what}: its memory was transferred away (by postMessage with a transfer list, transfer(), ...), ` +
    "so there is nothing left to send; pass the data before transferring it, or a copy"
  );
}

// A class whose instances can never cross, and that knows what to do instead (@weft/local-storage's ThreadLocal
// and ContextLocal, which do not import this package), explains itself under this registered symbol: a method
// taking the boundary ("threads", "processes") and returning the rest of the message after the path. Read only
// on the way to refusing a class instance, so it costs nothing for values that cross.
const kNotCrossable = Symbol.for("@weft/marshal:notCrossable");

function notCrossable(v: object, boundary: string): string | undefined {
  try {
    const explain = (v as Record<symbol, unknown>)[kNotCrossable];
    if (typeof explain !== "function") return undefined;
    const text: unknown = explain.call(v, boundary);
    return typeof text === "string" ? text : undefined;
  } catch {
    return undefined; // an explanation that fails leaves the general message
  }
}

/**
 * Why an object that is neither plain, nor a collection, nor a clone leaf cannot cross `boundary`, after its
 * path: a Promise, a weak collection, a class that explains itself, or any other class instance. Never
 * throws. Extension API.
 *
 * @example
 * ```ts
 * instanceProblem(new (class Point {})(), "threads"); // "is an instance of Point: class instances cannot ..."
 * ```
 */
export function instanceProblem(v: object, boundary: string): string {
  if (v instanceof Promise) return "is a Promise: await it and pass its value instead";
  if (v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef) {
    return `is a ${v.constructor.name}: weak collections cannot cross ${boundary}; pass a Map or Set`;
  }
  const why = notCrossable(v, boundary);
  if (why !== undefined) return why;
  let name: string | undefined;
  try {
    name = (v.constructor as { name?: string } | undefined)?.name;
  } catch {
    name = undefined;
  }
  return (
    `is an instance of ${name || "an object with a custom prototype"}: class instances cannot cross ${boundary} ` +
    "(their prototype and methods are lost); pass plain data, or teach marshal the class with registerMarshaller"
  );
}
