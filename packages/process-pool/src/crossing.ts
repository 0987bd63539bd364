import { serialize } from "node:v8";
import { MarshalError, marshal } from "@weft/sync";

type Segment = string | number | { raw: string };

const identifier = /^[A-Za-z_$][\w$]*$/;
const plainProto = Object.prototype;
const MAX_DEPTH = 200;
/** The key of @weft/sync's tagged records (e.g. { __weft_marshal__: "Lock", data }): names the kind. */
const MARSHAL_TAG = "__weft_marshal__";

const SHARED_HINT =
  "memory shared between threads cannot cross processes; place shared state in @weft/native's " +
  "SharedMemory (e.g. new Lock(shm.place(Lock))) and pass that, or pass plain data";

function isPlain(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === plainProto || p === null;
}

function isLeaf(v: object): boolean {
  return (
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof Date ||
    v instanceof RegExp ||
    v instanceof Error ||
    v instanceof Number ||
    v instanceof String ||
    v instanceof Boolean
  );
}

/** Walks arrays, plain objects, Maps and Sets, keeping the path of the value being visited. */
class PathWalk {
  readonly #root: string;
  readonly #path: Segment[] = [];
  #seen: Set<object> | undefined;

  constructor(root: string) {
    this.#root = root;
  }

  path(): string {
    let s = this.#root;
    for (const seg of this.#path) {
      if (typeof seg === "number") s += `[${seg}]`;
      else if (typeof seg === "object") s += seg.raw;
      else s += identifier.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
    }
    return s;
  }

  /** Calls `leaf` for every value that is not a container; stops at the first non-undefined answer. */
  run<T>(value: unknown, leaf: (v: unknown, w: PathWalk) => T | undefined): T | undefined {
    try {
      return this.#visit(value, leaf, 0);
    } catch (e) {
      if (e !== PathWalk) throw e;
      // Deep or cyclic: walk again remembering what was seen.
      this.#path.length = 0;
      this.#seen = new Set();
      return this.#visit(value, leaf, 0);
    }
  }

  #visit<T>(v: unknown, leaf: (v: unknown, w: PathWalk) => T | undefined, depth: number): T | undefined {
    if (typeof v !== "object" || v === null) return leaf(v, this);
    if (this.#seen !== undefined) {
      if (this.#seen.has(v)) return undefined;
      this.#seen.add(v);
    } else if (depth > MAX_DEPTH) throw PathWalk;
    const path = this.#path;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const r = this.#visit(v[i], leaf, depth + 1);
        path.pop();
        if (r !== undefined) return r;
      }
      return undefined;
    }
    if (v instanceof Map) {
      let i = 0;
      for (const [k, e] of v) {
        path.push({ raw: `.keys()[${i}]` });
        let r = this.#visit(k, leaf, depth + 1);
        path.pop();
        if (r !== undefined) return r;
        const label = typeof k === "string" || typeof k === "number" ? JSON.stringify(k) : `<key ${i}>`;
        path.push({ raw: `.get(${label})` });
        r = this.#visit(e, leaf, depth + 1);
        path.pop();
        if (r !== undefined) return r;
        i++;
      }
      return undefined;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const e of v) {
        path.push({ raw: `.values()[${i++}]` });
        const r = this.#visit(e, leaf, depth + 1);
        path.pop();
        if (r !== undefined) return r;
      }
      return undefined;
    }
    if (isPlain(v)) {
      for (const k of Object.keys(v)) {
        path.push(k);
        const r = this.#visit((v as Record<string, unknown>)[k], leaf, depth + 1);
        path.pop();
        if (r !== undefined) return r;
      }
      return undefined;
    }
    return leaf(v, this);
  }
}

function sharedBufferProblem(v: object): string | undefined {
  if (v instanceof SharedArrayBuffer) return `is a SharedArrayBuffer: ${SHARED_HINT}`;
  if (ArrayBuffer.isView(v) && v.buffer instanceof SharedArrayBuffer) {
    return (
      `is a ${v.constructor.name} over a SharedArrayBuffer: a child process would get a copy, so writes ` +
      `would not be shared; ${SHARED_HINT}`
    );
  }
  return undefined;
}

/** Finds a SharedArrayBuffer inside marshal-encoded data (a primitive that lives in thread-only memory). */
function containsSharedBuffer(encoded: unknown): boolean {
  return (
    new PathWalk("").run(encoded, (v) =>
      typeof v === "object" && v !== null && sharedBufferProblem(v) !== undefined ? true : undefined,
    ) === true
  );
}

function checkLeaf(v: unknown, w: PathWalk): undefined {
  if (typeof v !== "object" || v === null) return undefined; // functions and symbols: marshal reports them
  const problem = sharedBufferProblem(v);
  if (problem !== undefined) throw new MarshalError(w.path(), problem);
  if (isLeaf(v)) return undefined;
  // A weft primitive or a registered kind (anything else makes marshal throw, naming the path).
  const encoded = marshal.encode(v, { path: w.path() });
  if (containsSharedBuffer(encoded)) {
    const tag = (encoded as Record<string, unknown> | null)?.[MARSHAL_TAG];
    const kind =
      typeof tag === "string" ? tag : (v.constructor as { name?: string } | undefined)?.name || "object";
    throw new MarshalError(
      w.path(),
      `is a ${kind} in memory shared only between threads (a SharedArrayBuffer): ${SHARED_HINT}`,
    );
  }
  return undefined;
}

/**
 * Throws a MarshalError naming the path (e.g. `args[1].counts`) of the first value that cannot reach a child
 * process intact: SharedArrayBuffers and views over them, weft primitives in thread-only memory, and
 * whatever marshal rejects (functions, class instances, ...). Primitive values cost nothing.
 */
export function assertCrossable(values: readonly unknown[], root: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && (typeof v === "object" || typeof v === "function")) {
      new PathWalk(root).run(values, checkLeaf);
      return;
    }
  }
}

/** {@link assertCrossable} for one value whose path is `path` (e.g. `items[3]`). */
export function assertValueCrossable(value: unknown, path: string): void {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    new PathWalk(path).run(value, checkLeaf);
  }
}

/**
 * After a send failed: the path of the first value in `value` that v8 serialization rejects, as a
 * MarshalError with the serializer's reason, or undefined if none is found.
 */
export function findUnsendable(value: unknown, root: string): MarshalError | undefined {
  return new PathWalk(root).run(value, (v, w) => {
    if (typeof v === "object" && v !== null) {
      const problem = sharedBufferProblem(v);
      if (problem !== undefined && v instanceof SharedArrayBuffer) return new MarshalError(w.path(), problem);
    }
    try {
      serialize(v);
      return undefined;
    } catch (err) {
      return new MarshalError(
        w.path(),
        `cannot be sent to another process (${(err as Error)?.message ?? String(err)}); pass plain data`,
      );
    }
  });
}
