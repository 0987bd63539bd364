// How other weft packages reach this package without importing it. A pool's main side captures the submitting
// context only when a propagating ContextLocal exists, and rebuilds this package's error classes only when the
// program has them: loading @weft/local-storage for that would cost every program that never uses it. So this
// package publishes what they need on globalThis, under registered symbols (one slot per thread, shared by
// every copy of the package, e.g. its ES module and CommonJS builds):
//   SNAPSHOT_SLOT  an array of the snapshot() of each copy that has a ContextLocal with `propagate: true`
//                  (added by the first such ContextLocal of the copy, or the first runWith() of a snapshot:
//                  values restored in a thread are carried into the threads and tasks it starts)
//   ERRORS_SLOT    the error classes of the first copy loaded (set when its errors.ts is evaluated)
//   TASK_SCOPE_SLOT  `{ run(fn), current(), enter(context) }` (set when the thread's first ContextLocal is
//                  created or runWith() gets a snapshot; before that nothing can be set): a pool worker runs
//                  each task through `run`, in a copy of the worker's context, so a task's top-level `set()`
//                  stays in that task; `current()` and `enter()` read and restore the caller's synchronous
//                  flow's context (the worker's, as its initializer left it)
//   NOT_CROSSABLE  not on globalThis: a method on ThreadLocal's and ContextLocal's prototypes that @weft/sync's
//                  marshal walk calls when one is passed to a thread or process, for a message that says what to
//                  do instead (see marshal.ts there)
// @weft/threads' extension API reads them (local-storage-slots.ts there): keep the two sides in step.

/** @internal */
export const SNAPSHOT_SLOT: unique symbol = Symbol.for("@weft/local-storage:snapshot");
/** @internal */
export const TASK_SCOPE_SLOT: unique symbol = Symbol.for("@weft/local-storage:task-scope");
/** @internal */
export const ERRORS_SLOT: unique symbol = Symbol.for("@weft/local-storage:errors");

/** @internal */
export const NOT_CROSSABLE: unique symbol = Symbol.for("@weft/marshal:notCrossable");

/**
 * @internal Gives a class the explanation @weft/sync's marshal walk uses when one of its instances is passed
 * to a thread or process: `explain(instance, boundary)` returns the message after the value's path.
 */
export function explainNotCrossable<T extends object>(
  cls: { prototype: T },
  explain: (instance: T, boundary: string) => string,
): void {
  Object.defineProperty(cls.prototype, NOT_CROSSABLE, {
    value(this: T, boundary: string): string {
      return explain(this, boundary);
    },
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

const g = globalThis as Record<symbol, unknown>;

/** @internal Sets a slot unless a copy of this package set it first. */
export function publishOnce(slot: symbol, value: unknown): void {
  if (g[slot] === undefined) Object.defineProperty(g, slot, { value, configurable: false, writable: false });
}

/** @internal Adds `value` to the array in a slot (created by the first copy). */
export function publishAlongside(slot: symbol, value: unknown): void {
  publishOnce(slot, []);
  const all = g[slot] as unknown[];
  if (!all.includes(value)) all.push(value);
}
