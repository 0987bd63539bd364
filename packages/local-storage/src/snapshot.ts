import { Frame, propagatingNames, slotForName, storage, UNDEFINED_VALUE } from "./context-state.js";
import { ContextSerializationError, InvalidSnapshotError } from "./errors.js";

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
  const frame = storage.getStore();
  if (frame === undefined || frame.propagated === 0) return undefined;
  if (frame.snap !== null) return frame.snap as ContextSnapshot;
  return capture(frame);
}

function capture(frame: Frame): ContextSnapshot {
  const names: string[] = [];
  const values: unknown[] = [];
  let allPrimitive = true;
  const raws = frame.values;
  for (let slot = 0; slot < raws.length; slot++) {
    const raw = raws[slot];
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
  if (allPrimitive) frame.snap = snap;
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
  if (snap === undefined) return fn();
  if (typeof fn !== "function") {
    throw new TypeError(`runWith(snapshot, fn): fn must be a function, got ${typeof fn}.`);
  }
  const { names, values } = validate(snap);
  const base = storage.getStore();
  const raws = base === undefined ? [] : base.values.slice();
  let propagated = base === undefined ? 0 : base.propagated;
  for (let i = 0; i < names.length; i++) {
    const slot = slotForName(names[i] as string);
    const value = values[i];
    while (raws.length < slot) raws.push(undefined);
    if (raws[slot] === undefined) propagated++;
    raws[slot] = value === undefined ? UNDEFINED_VALUE : value;
  }
  return storage.run(new Frame(raws, propagated, null), fn);
}

function validate(snap: unknown): ContextSnapshot {
  const s = snap as Partial<ContextSnapshot> | null;
  if (
    typeof s !== "object" ||
    s === null ||
    s.weftContext !== 1 ||
    !Array.isArray(s.names) ||
    !Array.isArray(s.values) ||
    s.names.length !== s.values.length ||
    !s.names.every((n) => typeof n === "string" && n.length > 0)
  ) {
    throw new InvalidSnapshotError(
      "runWith(snapshot, fn): snapshot must be undefined or a value returned by snapshot() (possibly after " +
        "crossing a thread or process boundary); pass it through unchanged.",
    );
  }
  return s as ContextSnapshot;
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
  const base = storage.getStore();
  return storage.run(
    base === undefined ? new Frame([], 0, null) : new Frame(base.values, base.propagated, null),
    fn,
  );
}
