import { MemoryInUseError } from "./errors.js";
import { identityParts } from "./identity.js";
import { ME_WORD_LOCAL, ME_WORD_SHARED } from "./liveness.js";
import { checkOptionKeys, kindOf, optionTypeError } from "./option-names.js";
import { atomicsWaiter, type Waiter } from "./waiter.js";

/** Where a primitive keeps its shared state: a SharedArrayBuffer and a byte offset (multiple of 8). */
export interface SharedMemory {
  buffer: SharedArrayBuffer;
  byteOffset?: number;
}

/**
 * Options every primitive constructor accepts.
 *
 * @example
 * ```ts
 * const buffer = new SharedArrayBuffer(Lock.byteLength * 2);
 * const a = new Lock({ memory: { buffer } });
 * const b = new Lock({ memory: { buffer, byteOffset: Lock.byteLength } });
 * ```
 */
export interface PrimitiveOptions {
  /** Place the state in this memory (initialised by the constructor) instead of a new SharedArrayBuffer. */
  memory?: SharedMemory;
  /** How to sleep and wake; defaults to the memory provider's waiter, else {@link atomicsWaiter}. */
  waiter?: Waiter;
}

/**
 * A source of shared memory other than a plain SharedArrayBuffer (e.g. `@weft/native`'s process-shared
 * memory). When a primitive's buffer is owned by a provider, marshal sends `describe(buffer)` instead of the
 * buffer, and the receiving side calls `attach(description)` and sleeps with the provider's `waiter`.
 *
 * @example
 * ```ts
 * registerMemoryProvider({ name: "shm", owns, describe, attach, waiter: futexWaiter });
 * ```
 */
export interface MemoryProvider {
  /** Unique name, sent with every description. */
  name: string;
  /** true when this provider created `buffer`. */
  owns(buffer: SharedArrayBuffer): boolean;
  /** A structured-cloneable description from which another thread or process can attach the buffer. */
  describe(buffer: SharedArrayBuffer): unknown;
  /** Maps a description back to a SharedArrayBuffer over the same memory. */
  attach(description: unknown): SharedArrayBuffer;
  /** The waiter that works for this memory. */
  waiter: Waiter;
}

/**
 * Registered providers, one table per thread shared by every copy of this module (the ESM and CJS builds,
 * or two installed versions): a provider registered through one copy is found by the marshal of any other,
 * whatever order the copies were loaded in.
 */
const PROVIDERS = Symbol.for("@weft/sync:memory-providers");
const providerHolder = globalThis as { [PROVIDERS]?: Map<string, MemoryProvider> };
providerHolder[PROVIDERS] ??= new Map();
const providers: Map<string, MemoryProvider> = providerHolder[PROVIDERS];

/**
 * Registers a {@link MemoryProvider}. Register it in every thread or process that decodes its primitives.
 * Registering the same name again replaces the previous provider.
 *
 * @example
 * ```ts
 * registerMemoryProvider({ name: "shm", owns, describe, attach, waiter });
 * ```
 */
export function registerMemoryProvider(provider: MemoryProvider): void {
  if (typeof provider?.name !== "string" || provider.name === "") {
    throw new TypeError("registerMemoryProvider: provider.name must be a non-empty string");
  }
  for (const key of ["owns", "describe", "attach"] as const) {
    if (typeof provider[key] !== "function") {
      throw new TypeError(`registerMemoryProvider(${provider.name}): provider.${key} must be a function`);
    }
  }
  if (typeof provider.waiter?.wait !== "function") {
    throw new TypeError(`registerMemoryProvider(${provider.name}): provider.waiter must be a Waiter`);
  }
  providers.set(provider.name, provider);
}

/** @internal */
export function providerOf(buffer: SharedArrayBuffer): MemoryProvider | undefined {
  for (const p of providers.values()) if (p.owns(buffer)) return p;
  return undefined;
}

/** @internal */
export function providerNamed(name: string): MemoryProvider | undefined {
  return providers.get(name);
}

const ID_COUNTER = Symbol.for("@weft/sync:id-counter");
type CounterHolder = { [ID_COUNTER]?: { next: number } };

function nextCounter(): number {
  const g = globalThis as CounterHolder;
  let c = g[ID_COUNTER];
  if (c === undefined) {
    c = { next: 1 };
    g[ID_COUNTER] = c;
  }
  const n = c.next;
  c.next = n >= 0x7fffffff ? 1 : n + 1;
  return n;
}

/** @internal The shared state of one primitive, as seen by this thread. */
export interface SharedState {
  readonly kind: string;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly i32: Int32Array;
  /** The same state as Float64 slots (holder records, abandon.ts). */
  readonly f64: Float64Array;
  readonly waiter: Waiter;
  /** Total order over primitives, stable across threads: (creator pid, creator thread, counter). */
  readonly orderKey: bigint;
  /** Whether other processes may map this memory (a memory provider's): it picks the holder word format. */
  readonly processShared: boolean;
  /** This thread's value of a holder word it holds in this memory (liveness.ts; never 0). */
  readonly me: number;
}

/** The holder word fields of a state over `buffer`. */
function holderFormat(buffer: SharedArrayBuffer): { processShared: boolean; me: number } {
  const processShared = providerOf(buffer) !== undefined;
  return { processShared, me: processShared ? ME_WORD_SHARED : ME_WORD_LOCAL };
}

function magicOf(kind: string): number {
  let h = 0x5745;
  for (let i = 0; i < kind.length; i++) h = (Math.imul(h, 31) + kind.charCodeAt(i)) | 0;
  return h | 1;
}

function keyOf(i32: Int32Array): bigint {
  return (BigInt(i32[1]! >>> 0) << 64n) | (BigInt(i32[2]! >>> 0) << 32n) | BigInt(i32[3]! >>> 0);
}

function view(kind: string, buffer: unknown, byteOffset: unknown, byteLength: number): Int32Array {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`${kind}: memory.buffer must be a SharedArrayBuffer`);
  }
  const off = byteOffset ?? 0;
  if (typeof off !== "number" || !Number.isInteger(off) || off < 0 || off % 8 !== 0) {
    throw new RangeError(
      `${kind}: memory.byteOffset must be a non-negative multiple of 8, got ${String(off)}`,
    );
  }
  if (off + byteLength > buffer.byteLength) {
    throw new RangeError(
      `${kind}: needs ${byteLength} bytes at offset ${off} but the buffer has ${buffer.byteLength}; ` +
        `size it with ${kind}.byteLength`,
    );
  }
  return new Int32Array(buffer, off, byteLength / 4);
}

const KINDS = ["Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier"] as const;

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** What non-zeroed memory given to a constructor holds, for the error message. */
function contentsOf(i32: Int32Array): string {
  const magic = Atomics.load(i32, 0);
  const kind = KINDS.find((k) => magicOf(k) === magic);
  return kind === undefined ? "data (not all zero bytes)" : article(kind);
}

function refuseInUse(kind: string, byteOffset: number, i32: Int32Array): void {
  for (let i = 0; i < i32.length; i++) {
    if (Atomics.load(i32, i) !== 0) {
      throw new MemoryInUseError(
        `${kind}: the memory at byte offset ${byteOffset} already holds ${contentsOf(i32)}; a constructor ` +
          "creates a new primitive and would reset it. To use the primitive that lives there, attach to it " +
          "with marshal.decode(marshal.encode(original)) (threads and pools do this for arguments); to create " +
          "a new one, pass zeroed memory (e.g. a fresh SharedMemory.place(), or fill the range with 0 first)",
      );
    }
  }
}

/** @internal The keys of {@link PrimitiveOptions}, what every primitive constructor accepts. */
export const PRIMITIVE_OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ memory: true, waiter: true } satisfies Record<keyof PrimitiveOptions, true>),
);
const MEMORY_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ buffer: true, byteOffset: true } satisfies Record<keyof SharedMemory, true>),
);

/**
 * `memory` is an object; a plain one (`{ buffer, byteOffset }`) has no other key, so that a misspelt
 * `byteOffset` cannot place the primitive at offset 0, over another. Objects of a class (a memory provider's
 * placements) may carry more.
 */
function checkMemoryOption(kind: string, memory: unknown): void {
  if (typeof memory !== "object" || memory === null) {
    throw new TypeError(`${kind}: memory must be an object like { buffer, byteOffset }`);
  }
  const proto = Object.getPrototypeOf(memory);
  if (proto === Object.prototype || proto === null) {
    checkOptionKeys(`new ${kind}({ memory })`, memory, MEMORY_KEYS, optionTypeError, true);
  }
}

/**
 * @internal Creates (and initialises) the state of a new primitive. Memory passed in `opts.memory` must be
 * all zero bytes (throws {@link MemoryInUseError} otherwise): creating over a live primitive would reset it.
 */
export function createState(
  kind: string,
  byteLength: number,
  opts: PrimitiveOptions | undefined,
  known: ReadonlySet<string> = PRIMITIVE_OPTION_KEYS,
): SharedState {
  if (opts !== undefined) {
    if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
      throw new TypeError(`${kind}: options must be an object, got ${kindOf(opts)}`);
    }
    checkOptionKeys(`new ${kind} options`, opts, known, optionTypeError, true);
  }
  const memory = opts?.memory;
  if (memory !== undefined) checkMemoryOption(kind, memory);
  const buffer = memory?.buffer ?? new SharedArrayBuffer(byteLength);
  const byteOffset = memory?.byteOffset ?? 0;
  const i32 = view(kind, buffer, byteOffset, byteLength);
  if (memory !== undefined) refuseInUse(kind, byteOffset, i32);
  i32[1] = identityParts.pid;
  i32[2] = identityParts.tid;
  i32[3] = nextCounter();
  Atomics.store(i32, 0, magicOf(kind));
  const waiter = opts?.waiter ?? (memory ? providerOf(buffer)?.waiter : undefined) ?? atomicsWaiter;
  const format = holderFormat(buffer);
  return { kind, buffer, byteOffset, i32, f64: f64Of(i32), waiter, orderKey: keyOf(i32), ...format };
}

function f64Of(i32: Int32Array): Float64Array {
  return new Float64Array(i32.buffer, i32.byteOffset, i32.length >> 1);
}

/** @internal Attaches to the existing state of a primitive (used by marshal.decode). */
export function attachState(
  kind: string,
  byteLength: number,
  buffer: SharedArrayBuffer,
  byteOffset: number,
  waiter: Waiter,
): SharedState {
  const i32 = view(kind, buffer, byteOffset, byteLength);
  if (Atomics.load(i32, 0) !== magicOf(kind)) {
    throw new TypeError(`${kind}: the shared memory at offset ${byteOffset} does not hold a ${kind}`);
  }
  const format = holderFormat(buffer);
  return { kind, buffer, byteOffset, i32, f64: f64Of(i32), waiter, orderKey: keyOf(i32), ...format };
}
