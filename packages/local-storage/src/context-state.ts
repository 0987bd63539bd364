import { AsyncLocalStorage, executionAsyncResource } from "node:async_hooks";
import { publishOnce, TASK_SCOPE_SLOT } from "./published-slots.js";

// Per-thread state behind every ContextLocal. One AsyncLocalStorage holds an immutable Frame: the values of all
// ContextLocals in the current async context, one array slot per ContextLocal, so get() is one getStore() and
// one element load. Propagating ContextLocals get their slot from their name, so a snapshot taken in one thread
// fills the right slots in another thread, even for ContextLocals constructed there later. The state lives on
// globalThis so that the ESM and CJS builds of this package, if both get loaded, still share one context.

/** Stands for a value explicitly set to `undefined` (an `undefined` slot means "not set"). */
export const UNDEFINED_VALUE: unique symbol = Symbol.for("@weft/local-storage:undefined") as never;

/** Bookkeeping of a Frame, kept in its slot 0. */
class FrameMeta {
  /** How many propagating slots are set: 0 lets snapshot() return at once. */
  readonly propagated: number;
  /** Identity of the context (run/runWith/isolate scope) the frame belongs to, for token checks. */
  readonly scope: object;
  /** snapshot() of the frame, cached when every value is a primitive; null until computed. */
  snap: object | null = null;

  constructor(propagated: number, scope: object | null) {
    this.propagated = propagated;
    this.scope = scope ?? this;
  }
}

/**
 * An immutable set of ContextLocal values (a new Frame replaces the current one on every change). Slot 0 holds
 * the {@link FrameMeta}; from slot 1 on, raw values: `undefined` = not set, {@link UNDEFINED_VALUE} = set to
 * undefined.
 */
export type Frame = readonly unknown[];

/** The bookkeeping of `frame`. */
export function metaOf(frame: Frame): FrameMeta {
  return frame[0] as FrameMeta;
}

/** Makes `values` (slot 0 is overwritten) a Frame; a null `scope` starts a new context. */
export function makeFrame(values: unknown[], propagated: number, scope: object | null): Frame {
  values[0] = new FrameMeta(propagated, scope);
  return values;
}

interface SharedState {
  readonly storage: AsyncLocalStorage<Frame>;
  /** By slot: the variable's name when the slot propagates, else undefined. Slot 0 is the frame's meta. */
  readonly propagatingNames: (string | undefined)[];
  /** Slot of each propagating name. */
  readonly slotsByName: Map<string, number>;
  /** Scope of code that runs outside any run/runWith/isolate. */
  readonly rootScope: object;
}

const key = Symbol.for("@weft/local-storage:state@2");
const holder = globalThis as { [key]?: SharedState };
holder[key] ??= {
  storage: new AsyncLocalStorage<Frame>(),
  propagatingNames: [undefined],
  slotsByName: new Map(),
  rootScope: Object.freeze({}),
};
const state: SharedState = holder[key];

/** The AsyncLocalStorage that carries the current Frame. */
export const storage: AsyncLocalStorage<Frame> = state.storage;

/**
 * Reads the current Frame. Until {@link enableContextHooks} runs, this is `storage.getStore()` (undefined while
 * the storage was never used); from then on, the fastest reader {@link chooseReader} finds.
 */
export let currentFrame: () => Frame | undefined = () => state.storage.getStore();

let hooksEnabled = false;

/**
 * Switches on the storage's promise hooks; called before any value can be set or read: when the first
 * ContextLocal is constructed and when runWith() receives a snapshot. AsyncLocalStorage installs its hooks on
 * first use, and promises created before that carry no context: an async function that awaited one of them
 * and then called set() would write into whatever ran it. Doing it here rather than at import means a thread
 * that only loads the package (a pool worker with no ContextLocal and no snapshot) keeps promise hooks off and
 * pays nothing for them. The run() leaves the current context as it was.
 */
export function enableContextHooks(): void {
  if (hooksEnabled) return;
  hooksEnabled = true;
  state.storage.run(makeFrame([], 0, null), () => {});
  currentFrame = chooseReader(state.storage);
  publishOnce(TASK_SCOPE_SLOT, taskScope);
}

/**
 * Runs `fn` in a copy of the current context (a new scope: `set()` calls made by `fn` stay inside); what
 * `isolate()` does once its argument is checked.
 */
export function runInCopy<R>(fn: () => R): R {
  const base = currentFrame();
  return state.storage.run(
    makeFrame(copySlots(base, 0), base === undefined ? 0 : metaOf(base).propagated, null),
    fn,
  );
}

/** What the pools run each task in (published as TASK_SCOPE_SLOT, see published-slots.ts). */
const taskScope = Object.freeze({
  run: runInCopy,
  current: (): Frame | undefined => currentFrame(),
  enter(frame: Frame | undefined): void {
    state.storage.enterWith(frame as Frame);
  },
});

/**
 * The fastest correct reader of `als`: `als.getStore()`, or the same read without the method call where the
 * AsyncLocalStorage keeps its store on the execution resource under `kResourceStore` (Node 20's async_hooks
 * implementation). That shortcut is used only after checking that it agrees with getStore() inside and
 * outside a run; elsewhere (e.g. AsyncContextFrame-based storage) getStore() is used. Probing runs `als`,
 * which switches its hooks on.
 */
export function chooseReader(als: AsyncLocalStorage<Frame>): () => Frame | undefined {
  const viaGetStore = (): Frame | undefined => als.getStore();
  const key = (als as unknown as { kResourceStore?: unknown }).kResourceStore;
  if (typeof key !== "symbol") return viaGetStore;
  const direct = (): Frame | undefined =>
    (executionAsyncResource() as Record<symbol, Frame | undefined>)[key];
  try {
    const probe = makeFrame([], 0, null);
    const inside = als.run(probe, () => direct() === probe && als.getStore() === probe);
    return inside && direct() === als.getStore() ? direct : viaGetStore;
  } catch {
    return viaGetStore;
  }
}

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
  return frame === undefined ? state.rootScope : metaOf(frame).scope;
}

/** A copy of `base`'s slots, with room for slots up to `maxSlot`, to build a new Frame from. */
export function copySlots(base: Frame | undefined, maxSlot: number): unknown[] {
  const from = base === undefined ? 1 : base.length;
  const values: unknown[] = new Array(from > maxSlot ? from : maxSlot + 1);
  if (base !== undefined) for (let i = 1; i < from; i++) values[i] = base[i];
  return values;
}

/** Sets `slot` of `values` (from {@link copySlots}, with room for it) to `raw`; returns the change in set propagating slots. */
export function putSlot(values: unknown[], slot: number, raw: unknown): number {
  const before = values[slot];
  values[slot] = raw;
  if (propagatingNames[slot] === undefined || (before === undefined) === (raw === undefined)) return 0;
  return raw === undefined ? -1 : 1;
}

/** A frame like `base` with `slot` holding the raw value `raw`, in `scope` (null: a new context). */
export function frameWith(base: Frame | undefined, slot: number, raw: unknown, scope: object | null): Frame {
  const values = copySlots(base, slot);
  const propagated = (base === undefined ? 0 : metaOf(base).propagated) + putSlot(values, slot, raw);
  return makeFrame(values, propagated, scope);
}
