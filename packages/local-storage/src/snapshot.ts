import {
  copySlots,
  currentFrame,
  enableContextHooks,
  type Frame,
  makeFrame,
  metaOf,
  propagatingNames,
  putSlot,
  runInCopy,
  slotForName,
  storage,
  UNDEFINED_VALUE,
} from "./context-state.js";
import { ContextSerializationError, InvalidSnapshotError } from "./errors.js";
import { describeThrown, kindOf } from "./options.js";
import { publishAlongside, SNAPSHOT_SLOT } from "./published-slots.js";

/**
 * The propagating ContextLocal values of one async context, as structured-cloneable data: post it to a worker
 * or child process and pass it to {@link runWith} there. Treat it as opaque.
 *
 * @example
 * ```ts
 * const snap: ContextSnapshot | undefined = snapshot();
 * worker.postMessage({ snap, task });
 * ```
 */
export interface ContextSnapshot {
  /** Format marker and version. */
  readonly weftContext: 1;
  /** Names of the captured ContextLocals. */
  readonly names: readonly string[];
  /** Their values, in the same order (`undefined` for a variable explicitly set to undefined). */
  readonly values: readonly unknown[];
}

/**
 * Captures the values of the propagating ContextLocals (`propagate: true`) that are set in the current async
 * context, for {@link runWith} in another thread or process. Returns `undefined` when none is set; that path
 * allocates nothing, so callers can skip all propagation work. Object values are cloned now, so later changes
 * to them do not reach the task.
 *
 * @throws ContextSerializationError naming the variable when a value cannot be structured-cloned
 * @example
 * ```ts
 * const requestId = new ContextLocal<string>({ name: "requestId", propagate: true, default: "-" });
 * requestId.run("req-42", () => {
 *   const snap = snapshot(); // { weftContext: 1, names: ["requestId"], values: ["req-42"] }
 *   worker.postMessage({ snap });
 * });
 * ```
 */
export function snapshot(): ContextSnapshot | undefined {
  const frame = currentFrame();
  if (frame === undefined) return undefined;
  const meta = metaOf(frame);
  if (meta.propagated === 0) return undefined;
  if (meta.snap !== null) return meta.snap as ContextSnapshot;
  return capture(frame);
}

function capture(frame: Frame): ContextSnapshot {
  const names: string[] = [];
  const values: unknown[] = [];
  let allPrimitive = true;
  for (let slot = 1; slot < frame.length; slot++) {
    const raw = frame[slot];
    const name = propagatingNames[slot];
    if (raw === undefined || name === undefined) continue;
    const value = raw === UNDEFINED_VALUE ? undefined : raw;
    names.push(name);
    if (
      value === null ||
      (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol")
    ) {
      values.push(value);
    } else {
      allPrimitive = false;
      values.push(cloneOrThrow(name, value));
    }
  }
  const snap: ContextSnapshot = Object.freeze({
    weftContext: 1,
    names: Object.freeze(names),
    values: Object.freeze(values),
  });
  if (allPrimitive) metaOf(frame).snap = snap;
  return snap;
}

function cloneOrThrow(name: string, value: unknown): unknown {
  if (typeof value === "function") {
    throw new ContextSerializationError(name, "is a function: functions cannot cross threads");
  }
  if (typeof value === "symbol") {
    throw new ContextSerializationError(name, "is a symbol: symbols cannot cross threads");
  }
  try {
    return structuredClone(value);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ContextSerializationError(name, `cannot be structured-cloned (${detail})`, { cause });
  }
}

/** Whether this copy's snapshot() is published (see {@link publishSnapshot}). */
let published = false;

/**
 * Runs `fn` with the values captured by {@link snapshot} visible to the ContextLocals of the same names in this
 * thread (including ones constructed later, inside `fn`), and restores the previous values when `fn` returns;
 * async work started by `fn` keeps them. Returns what `fn` returns. `runWith(undefined, fn)` just calls `fn`.
 * Threads, pools and process pools call this around each task.
 *
 * @throws InvalidSnapshotError when `snap` is neither undefined nor a snapshot
 * @example
 * ```ts
 * // in the worker
 * parentPort.on("message", ({ snap, args }) => {
 *   const result = runWith(snap, () => task(...args)); // requestId.get() works inside task
 *   parentPort.postMessage(result);
 * });
 * ```
 */
export function runWith<R>(snap: ContextSnapshot | undefined, fn: () => R): R {
  if (typeof fn !== "function") {
    throw new TypeError(`runWith(snapshot, fn): fn must be a function, got ${kindOf(fn)}.`);
  }
  if (snap === undefined) return fn();
  const slots = slotsOf(snap);
  enableContextHooks();
  // The restored values propagate from this thread too (into the threads and tasks it starts), even when no
  // ContextLocal with `propagate: true` is ever constructed here: publish snapshot() as such a variable would.
  if (!published) publishSnapshot();
  const values = snap.values;
  const base = currentFrame();
  const raws = copySlots(base, maxSlot(slots));
  let propagated = base === undefined ? 0 : metaOf(base).propagated;
  for (let i = 0; i < slots.length; i++) {
    const value = values[i];
    propagated += putSlot(raws, slots[i] as number, value === undefined ? UNDEFINED_VALUE : value);
  }
  return storage.run(makeFrame(raws, propagated, null), fn);
}

function maxSlot(slots: readonly number[]): number {
  let max = 0;
  for (const slot of slots) if (slot > max) max = slot;
  return max;
}

// The slots of the last snapshot seen: a pool that submits many tasks from one context passes the same (cached)
// snapshot object each time in-process, so the names are resolved and checked once.
let lastSnap: ContextSnapshot | undefined;
let lastSlots: number[] = [];

/** Validates `snap` and returns the slot of each of its names. */
function slotsOf(snap: ContextSnapshot): number[] {
  if (snap === lastSnap) return lastSlots;
  const slots: number[] = [];
  let valid: boolean;
  let names: unknown;
  // Read in a try: a snapshot with a getter (or a Proxy) that throws is as invalid as any other non-snapshot.
  try {
    const s = snap as Partial<ContextSnapshot> | null;
    names = s?.names;
    const values = s?.values;
    valid =
      typeof s === "object" &&
      s !== null &&
      s.weftContext === 1 &&
      Array.isArray(names) &&
      Array.isArray(values) &&
      names.length === values.length;
    if (valid) {
      for (let i = 0; i < (names as unknown[]).length; i++) {
        const name = (names as unknown[])[i];
        void (values as unknown[])[i];
        if (typeof name !== "string" || name.length === 0) {
          valid = false;
          break;
        }
        slots.push(slotForName(name));
      }
    }
  } catch (cause) {
    throw new InvalidSnapshotError(
      `runWith(snapshot, fn): snapshot could not be read (${describeThrown(cause)}); it must be undefined or a ` +
        "value returned by snapshot() (possibly after crossing a thread or process boundary); pass it through " +
        "unchanged.",
      { cause },
    );
  }
  if (!valid) {
    throw new InvalidSnapshotError(
      "runWith(snapshot, fn): snapshot must be undefined or a value returned by snapshot() (possibly after " +
        "crossing a thread or process boundary); pass it through unchanged.",
    );
  }
  if (Object.isFrozen(snap) && Object.isFrozen(names)) {
    lastSnap = snap;
    lastSlots = slots;
  }
  return slots;
}

/**
 * Runs `fn` in a copy of the current context (Python's `copy_context().run(fn)`, or what `asyncio.create_task`
 * does): it starts with the current values, but `set()` calls made by `fn`, even before its first `await`, stay
 * inside. Use it to start independent async flows that call `set()`.
 *
 * @example
 * ```ts
 * const user = new ContextLocal<string>({ default: "anonymous" });
 * await Promise.all(["ada", "grace"].map((name) => isolate(async () => {
 *   user.set(name);
 *   await work();
 *   console.log(user.get()); // this flow's name
 * })));
 * console.log(user.get()); // "anonymous"
 * ```
 */
export function isolate<R>(fn: () => R): R {
  if (typeof fn !== "function") throw new TypeError(`isolate(fn): fn must be a function, got ${kindOf(fn)}.`);
  return runInCopy(fn);
}

/**
 * @internal Lets the pools capture contexts without importing this package (see published-slots.ts): called by
 * every ContextLocal created with `propagate: true` and by the first {@link runWith} of a snapshot (the first
 * call publishes); before the first one, {@link snapshot} always returns undefined.
 */
export function publishSnapshot(): void {
  published = true;
  publishAlongside(SNAPSHOT_SLOT, snapshot);
}
