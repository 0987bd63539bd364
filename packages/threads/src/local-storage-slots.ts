// What other weft packages use of @weft/local-storage without importing it: it publishes these on globalThis
// (see published-slots.ts in @weft/local-storage, whose slot names and shapes these readers follow). A program
// that never loads it pays nothing for it: no ContextLocal means no context to capture, and no error of its
// classes to rebuild as such.
import type {
  ContextLookupError,
  ContextSerializationError,
  ContextSnapshot,
  ContextTokenError,
  InvalidSnapshotError,
} from "@weft/local-storage";

const SNAPSHOT_SLOT = Symbol.for("@weft/local-storage:snapshot");
const ERRORS_SLOT = Symbol.for("@weft/local-storage:errors");
const TASK_SCOPE_SLOT = Symbol.for("@weft/local-storage:task-scope");
const g = globalThis as Record<symbol, unknown>;

/** @internal @weft/local-storage's error classes (of the first copy loaded in this thread). */
export interface LocalStorageErrorClasses {
  readonly ContextSerializationError: typeof ContextSerializationError;
  readonly ContextTokenError: typeof ContextTokenError;
  readonly ContextLookupError: typeof ContextLookupError;
  readonly InvalidSnapshotError: typeof InvalidSnapshotError;
}

/**
 * The propagating ContextLocal values of the calling async context, as @weft/local-storage's `snapshot()`
 * captures them, or undefined when none is set, or when no ContextLocal with `propagate: true` exists in this
 * thread (then @weft/local-storage need not even be loaded). With several copies of the package loaded (its ES
 * module and CommonJS builds), the first copy with a value set gives the snapshot.
 *
 * @throws ContextSerializationError naming the variable whose value cannot be structured-cloned
 * @example
 * ```ts
 * import { contextSnapshot } from "@weft/threads/extension";
 * const ctx = contextSnapshot(); // undefined, or { weftContext: 1, names, values }
 * ```
 */
export function contextSnapshot(): ContextSnapshot | undefined {
  const copies = g[SNAPSHOT_SLOT] as readonly (() => ContextSnapshot | undefined)[] | undefined;
  if (copies === undefined) return undefined;
  for (let i = 0; i < copies.length; i++) {
    const snap = copies[i]!();
    if (snap !== undefined) return snap;
  }
  return undefined;
}

/** @internal @weft/local-storage's error classes, once it is loaded in this thread; else undefined. */
export function localStorageErrorClasses(): LocalStorageErrorClasses | undefined {
  return g[ERRORS_SLOT] as LocalStorageErrorClasses | undefined;
}

/**
 * How a worker runs a task in a context of its own (extension API, for task servers): `run(fn)` calls `fn` in a
 * copy of the current context, so ContextLocal `set()` calls at the task's top level stay in that task (as
 * Python's `copy_context().run`); `current()` returns the current context (opaque) and `enter(context)` makes
 * it the context of the caller's synchronous flow (`enter(undefined)`: no context). Undefined until this
 * thread has a ContextLocal (or restored a snapshot): before that, nothing can be set, and a task can be
 * called directly.
 *
 * @example
 * ```ts
 * import { taskScope } from "@weft/threads/worker-extension";
 * const scope = taskScope();
 * const result = scope === undefined ? task(...args) : scope.run(() => task(...args));
 * ```
 */
export function taskScope(): TaskScope | undefined {
  return g[TASK_SCOPE_SLOT] as TaskScope | undefined;
}

/** See {@link taskScope}. */
export interface TaskScope {
  run<R>(fn: () => R): R;
  current(): unknown;
  enter(context: unknown): void;
}
