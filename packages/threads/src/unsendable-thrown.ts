// Why a thrown value cannot cross, for serializeError (error-serialize.ts): the MarshalError the marshal walk of
// @weft/sync gives when it is loaded, else the same words found here without it (a pool worker or a thread
// loads @weft/sync only for a task that needs the walk, never just to report an error). Every look at the value
// is guarded: a getter or a Proxy trap that throws must not turn the report into an uncaught error.
import { types } from "node:util";
import {
  describeThrown,
  detachedProblem,
  instanceProblem,
  isCloneLeaf,
  isPlainObject,
  proxyProblem,
  scalarProblem,
} from "@weft/sync/extension";

/**
 * What {@link serializeError} needs of `@weft/sync`'s `marshal` to name a thrown value that cannot cross with
 * the marshal walk's own MarshalError (pass `marshal` itself).
 *
 * @example
 * ```ts
 * import { marshal } from "@weft/sync";
 * const walk: ThrownValueWalk = marshal;
 * serializeError(thrown, { marshal: walk });
 * ```
 */
export interface ThrownValueWalk {
  encode(value: unknown, options: { path: string; crossProcess?: boolean }): unknown;
}

/** Why a value cannot cross: the MarshalError's path and message (which starts with the path), and its cause. */
export interface Unsendable {
  readonly path: string;
  readonly message: string;
  readonly hasCause: boolean;
  readonly cause?: unknown;
}

const identifier = /^[A-Za-z_$][\w$]*$/;
/** How deep the search below goes; deeper, the value is reported as a whole. */
const MAX_SEARCH_DEPTH = 100;

/**
 * Why `value` (not an Error, and refused by structured clone) cannot cross, at `path`. With `walk`, the marshal
 * walk's MarshalError; without it, or when the walk has nothing to object to, the first part found here that
 * cannot cross, in the walk's words; failing that, the structured clone error.
 */
export function unsendable(
  value: unknown,
  path: string,
  crossProcess: boolean,
  walk: ThrownValueWalk | undefined,
  cloneError: unknown,
): Unsendable {
  if (walk !== undefined) {
    try {
      walk.encode(value, { path, crossProcess });
    } catch (e) {
      const found = fromMarshalError(e);
      if (found !== undefined) return found;
    }
  }
  const boundary = crossProcess ? "processes" : "threads";
  try {
    const found = new Search(boundary).at(value, path, 0);
    if (found !== undefined) return found;
  } catch {
    // fall through to the clone error
  }
  return {
    path,
    message: `${path} could not be copied by structured clone (${describeCloneError(cloneError)}); pass plain data`,
    hasCause: false,
  };
}

function fromMarshalError(e: unknown): Unsendable | undefined {
  try {
    if (!(e instanceof Error) || e.name !== "MarshalError") return undefined;
    const { path, message } = e as Error & { path?: unknown };
    if (typeof path !== "string" || typeof message !== "string") return undefined;
    const hasCause = "cause" in e;
    return { path, message, hasCause, cause: hasCause ? e.cause : undefined };
  } catch {
    return undefined;
  }
}

function describeCloneError(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return "it refused the value";
  }
}

function segment(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return identifier.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The marshal walk's rules for what cannot cross, applied without @weft/sync (same order, same messages). */
class Search {
  readonly #boundary: string;
  readonly #seen = new Set<object>();

  constructor(boundary: string) {
    this.#boundary = boundary;
  }

  #found(path: string, why: string, cause?: { cause: unknown }): Unsendable {
    return {
      path,
      message: `${path} ${why}`,
      hasCause: cause !== undefined,
      ...(cause !== undefined ? { cause: cause.cause } : {}),
    };
  }

  at(v: unknown, path: string, depth: number): Unsendable | undefined {
    const b = this.#boundary;
    const scalar = scalarProblem(v, b);
    if (scalar !== undefined) return this.#found(path, scalar);
    if (typeof v !== "object" || v === null) return undefined;
    if (types.isProxy(v)) return this.#found(path, proxyProblem(b));
    if (this.#seen.has(v) || depth > MAX_SEARCH_DEPTH) return undefined;
    this.#seen.add(v);
    if (Array.isArray(v)) return this.#entries(v.keys(), (i) => v[i], path, depth);
    if (v instanceof Map) {
      let i = 0;
      for (const [k, e] of v) {
        const label = typeof k === "string" || typeof k === "number" ? JSON.stringify(k) : `<key ${i}>`;
        const found =
          this.at(k, `${path}.keys()[${i}]`, depth + 1) ?? this.at(e, `${path}.get(${label})`, depth + 1);
        if (found !== undefined) return found;
        i++;
      }
      return undefined;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const e of v) {
        const found = this.at(e, `${path}.values()[${i}]`, depth + 1);
        if (found !== undefined) return found;
        i++;
      }
      return undefined;
    }
    if (isPlainObject(v)) {
      const o = v as Record<string, unknown>;
      return this.#entries(Object.keys(o), (k) => o[k], path, depth);
    }
    if (isCloneLeaf(v)) {
      const detached = detachedProblem(v);
      return detached === undefined ? undefined : this.#found(path, detached);
    }
    return this.#found(path, instanceProblem(v, b));
  }

  #entries<K extends string | number>(
    keys: Iterable<K>,
    read: (key: K) => unknown,
    path: string,
    depth: number,
  ): Unsendable | undefined {
    for (const key of keys) {
      let e: unknown;
      try {
        e = read(key);
      } catch (cause) {
        return this.#found(
          segment(path, key),
          `could not be read: its getter threw (${describeThrown(cause)}); pass plain data`,
          { cause },
        );
      }
      const found = this.at(e, segment(path, key), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

const MAX_SHOWN = 60;
const KEYS_SHOWN = 5;

function short(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What a value that cannot cross is, in a few words for an error message: never a function's source or an
 * object's String() text. Never throws.
 */
export function describeValue(v: unknown): string {
  try {
    if (typeof v === "function") {
      const name = typeof v.name === "string" ? v.name : "";
      return name === "" ? "an anonymous function" : `a function named ${JSON.stringify(short(name))}`;
    }
    if (typeof v === "symbol") return short(v.toString());
    if (typeof v !== "object" || v === null) return short(String(v));
    if (types.isProxy(v)) return "a Proxy";
    if (Array.isArray(v)) return `an array of ${count(v.length, "item", "items")}`;
    if (v instanceof Map) return `a Map of ${count(v.size, "entry", "entries")}`;
    if (v instanceof Set) return `a Set of ${count(v.size, "value", "values")}`;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0) return "an empty plain object";
      const shown = keys.slice(0, KEYS_SHOWN).map(short).join(", ");
      return `a plain object with keys ${shown}${keys.length > KEYS_SHOWN ? ", …" : ""}`;
    }
    if (v instanceof Promise) return "a Promise";
    const name = (v.constructor as { name?: string } | undefined)?.name;
    return name ? `an instance of ${short(name)}` : "an object with a custom prototype";
  } catch {
    return "a value that cannot be described";
  }
}
