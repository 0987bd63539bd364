import { AsyncLocalStorage } from "node:async_hooks";

// Per-thread state behind every ContextLocal. One AsyncLocalStorage holds an immutable Frame: the values of all
// ContextLocals in the current async context, one array slot per ContextLocal. Propagating ContextLocals get
// their slot from their name, so a snapshot taken in one thread fills the right slots in another thread, even
// for ContextLocals constructed there later. The state lives on globalThis so that the ESM and CJS builds of
// this package, if both get loaded, still share one context.

/** Stands for a value explicitly set to `undefined` (an `undefined` slot means "not set"). */
export const UNDEFINED_VALUE: unique symbol = Symbol.for("@weft/local-storage:undefined") as never;

/** An immutable set of ContextLocal values; a new Frame replaces the current one on every change. */
export class Frame {
  /** Raw values by slot: `undefined` = not set, {@link UNDEFINED_VALUE} = set to undefined. */
  readonly values: readonly unknown[];
  /** How many propagating slots are set: 0 lets snapshot() return at once. */
  readonly propagated: number;
  /** Identity of the context (run/runWith/isolate scope) this frame belongs to, for token checks. */
  readonly scope: object;
  /** snapshot() of this frame, cached when every value is a primitive; null until computed. */
  snap: object | undefined | null = null;

  constructor(values: readonly unknown[], propagated: number, scope: object | null) {
    this.values = values;
    this.propagated = propagated;
    this.scope = scope ?? this;
  }
}

interface SharedState {
  readonly storage: AsyncLocalStorage<Frame>;
  /** By slot: the variable's name when the slot propagates, else undefined. */
  readonly propagatingNames: (string | undefined)[];
  /** Slot of each propagating name. */
  readonly slotsByName: Map<string, number>;
  /** Scope of code that runs outside any run/runWith/isolate. */
  readonly rootScope: object;
}

const key = Symbol.for("@weft/local-storage:state@1");
const holder = globalThis as { [key]?: SharedState };
holder[key] ??= {
  storage: new AsyncLocalStorage<Frame>(),
  propagatingNames: [],
  slotsByName: new Map(),
  rootScope: Object.freeze({}),
};
const state: SharedState = holder[key];

// AsyncLocalStorage installs its promise hooks lazily, on first use; promises created before that carry no
// context, so an async function that awaited one of them and then called set() would write into whatever ran
// it. Enable the hooks now, at import, with a run() that leaves the current context as it was.
state.storage.run(new Frame([], 0, null), () => {});

/** The AsyncLocalStorage that carries the current Frame. */
export const storage: AsyncLocalStorage<Frame> = state.storage;

/** Name of the propagating variable in `slot`, or undefined if the slot does not propagate. */
export const propagatingNames: readonly (string | undefined)[] = state.propagatingNames;

/** Allocates a slot for a ContextLocal that does not propagate. */
export function newSlot(): number {
  return state.propagatingNames.push(undefined) - 1;
}

/** The slot shared by every propagating ContextLocal called `name` in this thread. */
export function slotForName(name: string): number {
  let slot = state.slotsByName.get(name);
  if (slot === undefined) {
    slot = state.propagatingNames.push(name) - 1;
    state.slotsByName.set(name, slot);
  }
  return slot;
}

/** The scope of `frame`, or the root scope when there is no frame. */
export function scopeOf(frame: Frame | undefined): object {
  return frame === undefined ? state.rootScope : frame.scope;
}

/** A frame like `base` (in the same scope) with `slot` holding the raw value `raw`. */
export function frameWith(base: Frame | undefined, slot: number, raw: unknown, scope: object | null): Frame {
  const values = base === undefined ? [] : base.values.slice();
  while (values.length < slot) values.push(undefined);
  const before = values[slot];
  values[slot] = raw;
  let propagated = base === undefined ? 0 : base.propagated;
  if (propagatingNames[slot] !== undefined && (before === undefined) !== (raw === undefined)) {
    propagated += raw === undefined ? -1 : 1;
  }
  return new Frame(values, propagated, scope);
}
