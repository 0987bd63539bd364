import { describeThrown } from "./describe-thrown.js";
import { MarshalError } from "./errors.js";

/** @internal Returned by a rule to ask the walker to descend into an array, plain object, Map or Set. */
export const WALK: unique symbol = Symbol("walk");

type Segment = string | number | { raw: string };

/** @internal What encode or decode does with each value. */
export interface Rules {
  /** Non-object values (primitives, functions, symbols). */
  scalar(v: unknown, w: Walker): unknown;
  /** Objects: a replacement, the object itself (a leaf), or WALK. */
  object(v: object, w: Walker): unknown;
}

const MAX_FAST_DEPTH = 200;
/**
 * @internal The deepest nesting of containers (arrays, plain objects, Maps, Sets, including those of a
 * marshaller's encoded data) the walk accepts, as Python's pickle stops at its recursion limit of 1000.
 * Deeper data is a MarshalError, not a stack overflow here, in structured clone (which
 * overflows a few thousand levels down) or in the receiving thread.
 */
export const MAX_DEPTH = 1000;
/** Segments of the path shown in the error for data nested deeper than MAX_DEPTH. */
const DEPTH_PATH_SHOWN = 10;
const DEEP = Symbol("deep");
/** Stands for `undefined` in the memo (a registered kind may decode to it), so a lookup is one `get`. */
const UNDEFINED = Symbol("undefined");
const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * @internal Walks a value graph, rebuilding only the containers whose content a rule replaced. Within one walk
 * (one message), every reference to one object gives one result, as structured clone and pickle keep shared
 * references: a primitive referenced twice is encoded (or decoded) once, a rebuilt container referenced twice
 * is rebuilt once. The first pass (cheap for the usual small argument lists) remembers only what it replaced
 * or rebuilt, so plain data allocates nothing; what it returns unchanged needs no entry, since structured clone
 * keeps that sharing itself. A graph deeper than 200 levels (or cyclic) is walked again remembering every
 * container before its content, which copies every container so cycles are preserved. The depth is the length
 * of the path, so it also counts what a marshaller's encoded data nests; past MAX_DEPTH the walk throws a
 * MarshalError.
 */
export class Walker {
  readonly #root: string;
  readonly #rules: Rules;
  #path: Segment[] = [];
  /**
   * What objects already visited became: replacements and rebuilt containers, and in the second pass every
   * container (entered before its content, so cycles resolve). The first entry is kept in two fields, the
   * rest in a map created for the second: a message with one primitive (the usual case) allocates no map.
   */
  #firstKey: object | undefined;
  #firstValue: unknown;
  #memo: Map<object, unknown> | undefined;
  /** The second pass: containers are always copied and remembered before their content is walked. */
  #copyAll = false;
  /** true when the data is bound for another process (encode's `crossProcess`), not only another thread. */
  readonly crossProcess: boolean;

  constructor(root: string, rules: Rules, crossProcess = false) {
    this.#root = root;
    this.#rules = rules;
    this.crossProcess = crossProcess;
  }

  /** What the data crosses, for error messages: "threads" or "processes". */
  get boundary(): string {
    return this.crossProcess ? "processes" : "threads";
  }

  run(value: unknown): unknown {
    try {
      return this.visit(value);
    } catch (e) {
      if (e !== DEEP) throw e;
      this.#path = [];
      // Forget the first pass's entries: a container it left unchanged is copied now, so a copy it made of a
      // container holding that one would still point at the original, and one object would arrive as two.
      this.#firstKey = undefined;
      this.#memo = undefined;
      this.#copyAll = true;
      try {
        return this.visit(value);
      } catch (deep) {
        // The stack ran out before MAX_DEPTH (frames are larger on Node 22, a worker may have a small
        // stackSizeMb): the path is still where it happened (#child pops only on return).
        if (deep instanceof RangeError && /call stack/i.test(deep.message)) throw this.#tooDeep();
        throw deep;
      }
    }
  }

  /** The printable path of the value being visited, e.g. `args[1].handler`. */
  path(): string {
    return this.#print(this.#path.length);
  }

  /** The root and the first `n` segments of the path. */
  #print(n: number): string {
    let s = this.#root;
    for (let i = 0; i < n; i++) {
      const seg = this.#path[i]!;
      if (typeof seg === "number") s += `[${seg}]`;
      else if (typeof seg === "object") s += seg.raw;
      else s += identifier.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
    }
    return s;
  }

  error(message: string): MarshalError {
    return new MarshalError(this.path(), message);
  }

  /** Visits a value at the current path (rules call it for what they produce, e.g. encoded data). */
  visit(v: unknown): unknown {
    if (typeof v !== "object" || v === null) return this.#rules.scalar(v, this);
    if (v === this.#firstKey) return this.#firstValue;
    const memo = this.#memo;
    if (memo !== undefined) {
      const known = memo.get(v);
      if (known !== undefined) return known === UNDEFINED ? undefined : known;
    }
    if (!this.#copyAll && this.#path.length > MAX_FAST_DEPTH) throw DEEP;
    const r = this.#rules.object(v, this);
    if (r !== WALK) {
      // A leaf passes as itself (structured clone keeps its sharing); a replacement must be reused, except at
      // the root, which nothing but itself (a cycle, never resolved through a replacement) can refer to.
      if (r !== v && this.#path.length > 0) this.#remember(v, r);
      return r;
    }
    // (Only the second pass gets this deep.) The path's length is how deep below the root this container is.
    if (this.#path.length > MAX_DEPTH) throw this.#tooDeep();
    if (Array.isArray(v)) return this.#array(v);
    if (v instanceof Map) return this.#map(v);
    if (v instanceof Set) return this.#set(v);
    return this.#object(v as Record<string, unknown>);
  }

  /** Records what `v` became, for its next reference in this walk. */
  #remember(v: object, r: unknown): void {
    if (this.#firstKey === undefined) {
      this.#firstKey = v;
      this.#firstValue = r;
      return;
    }
    this.#memo ??= new Map();
    this.#memo.set(v, r === undefined ? UNDEFINED : r);
  }

  /**
   * Records a container the first pass rebuilt, once complete (that pass has no cycles: they end it). Not the
   * root: the walk is over when it returns.
   */
  #rebuilt(v: object, out: object): void {
    if (this.#path.length > 0) this.#remember(v, out);
  }

  #tooDeep(): MarshalError {
    return new MarshalError(
      `${this.#print(DEPTH_PATH_SHOWN)}…`,
      `${this.#path.length > MAX_DEPTH ? `is nested more than ${MAX_DEPTH} levels deep` : "is nested deeper than this thread's stack allows"} (the walk stopped at level ${this.#path.length}): data ` +
        `that deep cannot cross ${this.boundary}; flatten it (e.g. a list of nodes that refer to each other ` +
        "by index)",
    );
  }

  /** A getter of `key` threw `cause` while the walk read it: a MarshalError at that key's path. */
  #unreadable(key: string | number, cause: unknown): MarshalError {
    this.#path.push(key);
    const error = new MarshalError(
      this.path(),
      `could not be read: its getter threw (${describeThrown(cause)}); pass plain data`,
      { cause },
    );
    this.#path.pop();
    return error;
  }

  #child(seg: Segment, v: unknown): unknown {
    this.#path.push(seg);
    const n = this.visit(v);
    this.#path.pop();
    return n;
  }

  #array(a: unknown[]): unknown {
    let out: unknown[] | undefined;
    const copyAll = this.#copyAll;
    if (copyAll) {
      out = new Array(a.length);
      this.#remember(a, out);
    }
    // One try around the loop (not one per read); `reading` tells a getter's throw from a child's error.
    let reading = -1;
    try {
      for (let i = 0; i < a.length; i++) {
        reading = i;
        const e = a[i];
        reading = -1;
        const n = this.#child(i, e);
        if (out === undefined && n !== e) out = a.slice(0, i);
        if (out !== undefined) out[i] = n;
      }
    } catch (err) {
      throw reading >= 0 ? this.#unreadable(reading, err) : err;
    }
    if (out === undefined) return a;
    if (!copyAll) this.#rebuilt(a, out);
    return out;
  }

  #object(o: Record<string, unknown>): unknown {
    let out: Record<string, unknown> | undefined;
    const copyAll = this.#copyAll;
    if (copyAll) {
      out = {};
      this.#remember(o, out);
    }
    const keys = Object.keys(o);
    let reading: string | undefined; // (see #array)
    try {
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        reading = k;
        const e = o[k];
        reading = undefined;
        const n = this.#child(k, e);
        if (out === undefined && n !== e) {
          out = {};
          for (let j = 0; j < i; j++) out[keys[j]!] = o[keys[j]!];
        }
        if (out !== undefined) out[k] = n;
      }
    } catch (err) {
      throw reading !== undefined ? this.#unreadable(reading, err) : err;
    }
    if (out === undefined) return o;
    if (!copyAll) this.#rebuilt(o, out);
    return out;
  }

  #map(m: Map<unknown, unknown>): unknown {
    const out = new Map<unknown, unknown>();
    const copyAll = this.#copyAll;
    if (copyAll) this.#remember(m, out);
    let changed = copyAll;
    let i = 0;
    for (const [k, e] of m) {
      const nk = this.#child({ raw: `.keys()[${i}]` }, k);
      const label = typeof k === "string" || typeof k === "number" ? JSON.stringify(k) : `<key ${i}>`;
      const ne = this.#child({ raw: `.get(${label})` }, e);
      if (nk !== k || ne !== e) changed = true;
      out.set(nk, ne);
      i++;
    }
    if (!changed) return m;
    if (!copyAll) this.#rebuilt(m, out);
    return out;
  }

  #set(s: Set<unknown>): unknown {
    const out = new Set<unknown>();
    const copyAll = this.#copyAll;
    if (copyAll) this.#remember(s, out);
    let changed = copyAll;
    let i = 0;
    for (const e of s) {
      const n = this.#child({ raw: `.values()[${i}]` }, e);
      if (n !== e) changed = true;
      out.add(n);
      i++;
    }
    if (!changed) return s;
    if (!copyAll) this.#rebuilt(s, out);
    return out;
  }
}
