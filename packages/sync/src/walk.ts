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
const DEEP = Symbol("deep");
const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * @internal Walks a value graph, rebuilding only the containers whose content a rule replaced. The first
 * pass keeps no "seen" map (cheap for the usual small argument lists); a graph deeper than 200 levels (or
 * cyclic) is walked again with one, which copies every container so cycles are preserved.
 */
export class Walker {
  readonly #root: string;
  readonly #rules: Rules;
  #path: Segment[] = [];
  #seen: Map<object, unknown> | undefined;
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
      return this.visit(value, 0);
    } catch (e) {
      if (e !== DEEP) throw e;
      this.#path = [];
      this.#seen = new Map();
      return this.visit(value, 0);
    }
  }

  /** The printable path of the value being visited, e.g. `args[1].handler`. */
  path(): string {
    let s = this.#root;
    for (const seg of this.#path) {
      if (typeof seg === "number") s += `[${seg}]`;
      else if (typeof seg === "object") s += seg.raw;
      else s += identifier.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
    }
    return s;
  }

  error(message: string): MarshalError {
    return new MarshalError(this.path(), message);
  }

  visit(v: unknown, depth: number): unknown {
    if (typeof v !== "object" || v === null) return this.#rules.scalar(v, this);
    const seen = this.#seen;
    if (seen !== undefined) {
      if (seen.has(v)) return seen.get(v);
    } else if (depth > MAX_FAST_DEPTH) throw DEEP;
    const r = this.#rules.object(v, this);
    if (r !== WALK) {
      seen?.set(v, r);
      return r;
    }
    if (Array.isArray(v)) return this.#array(v, depth + 1);
    if (v instanceof Map) return this.#map(v, depth + 1);
    if (v instanceof Set) return this.#set(v, depth + 1);
    return this.#object(v as Record<string, unknown>, depth + 1);
  }

  #child(seg: Segment, v: unknown, depth: number): unknown {
    this.#path.push(seg);
    const n = this.visit(v, depth);
    this.#path.pop();
    return n;
  }

  #array(a: unknown[], depth: number): unknown {
    let out: unknown[] | undefined;
    if (this.#seen !== undefined) {
      out = new Array(a.length);
      this.#seen.set(a, out);
    }
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      const n = this.#child(i, e, depth);
      if (out === undefined && n !== e) out = a.slice(0, i);
      if (out !== undefined) out[i] = n;
    }
    return out ?? a;
  }

  #object(o: Record<string, unknown>, depth: number): unknown {
    let out: Record<string, unknown> | undefined;
    if (this.#seen !== undefined) {
      out = {};
      this.#seen.set(o, out);
    }
    const keys = Object.keys(o);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const e = o[k];
      const n = this.#child(k, e, depth);
      if (out === undefined && n !== e) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]!] = o[keys[j]!];
      }
      if (out !== undefined) out[k] = n;
    }
    return out ?? o;
  }

  #map(m: Map<unknown, unknown>, depth: number): unknown {
    const out = new Map<unknown, unknown>();
    this.#seen?.set(m, out);
    let changed = this.#seen !== undefined;
    let i = 0;
    for (const [k, e] of m) {
      const nk = this.#child({ raw: `.keys()[${i}]` }, k, depth);
      const label = typeof k === "string" || typeof k === "number" ? JSON.stringify(k) : `<key ${i}>`;
      const ne = this.#child({ raw: `.get(${label})` }, e, depth);
      if (nk !== k || ne !== e) changed = true;
      out.set(nk, ne);
      i++;
    }
    return changed ? out : m;
  }

  #set(s: Set<unknown>, depth: number): unknown {
    const out = new Set<unknown>();
    this.#seen?.set(s, out);
    let changed = this.#seen !== undefined;
    let i = 0;
    for (const e of s) {
      const n = this.#child({ raw: `.values()[${i}]` }, e, depth);
      if (n !== e) changed = true;
      out.add(n);
      i++;
    }
    return changed ? out : s;
  }
}
