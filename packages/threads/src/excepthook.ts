// Python's threading.excepthook: what happens to an error that a thread ended with when nobody will see it.
import { inspect } from "node:util";
import type { Thread } from "./thread.js";

/**
 * What {@link ExceptHook} is told about a thread that failed unobserved (Python's `ExceptHookArgs`).
 *
 * @example
 * ```ts
 * setExcepthook(({ excType, excValue, thread }) => log.error({ thread: thread.name, type: excType?.name }, excValue));
 * ```
 */
export interface ExceptHookArgs {
  /** The class of the error (`excValue`'s constructor, e.g. `TypeError`), or undefined for a thrown non-object. */
  readonly excType: Function | undefined;
  /** What the thread's target threw (or why its worker died), with the thread's stack. */
  readonly excValue: unknown;
  /** The thread that failed. */
  readonly thread: Thread<any, any>;
}

/**
 * A handler for errors of threads that failed while nobody was joining them; see {@link setExcepthook}.
 *
 * @example
 * ```ts
 * const hook: ExceptHook = ({ thread, excValue }) => console.error(`${thread.name} failed`, excValue);
 * ```
 */
export type ExceptHook = (args: ExceptHookArgs) => void;

/**
 * The default hook (Python's `threading.__excepthook__`): writes `Exception in thread NAME:` and the error's
 * stack to stderr. Call it from your own hook to keep the report.
 *
 * @example
 * ```ts
 * setExcepthook((args) => {
 *   metrics.increment("thread.failed");
 *   defaultExcepthook(args);
 * });
 * ```
 */
export const defaultExcepthook: ExceptHook = ({ excValue, thread }) => {
  process.stderr.write(`Exception in thread ${thread.name}:\n${describe(excValue)}\n`);
};

// One hook per process, shared by every copy of this package (ESM and CommonJS builds), as Python has one
// threading.excepthook. Each worker thread (its own isolate) has its own, for the threads it starts.
const KEY = Symbol.for("@weft/threads.excepthook");
type Mirror = (info: { name: string; ident: number; daemon: boolean }) => Thread;
/** The hook, and how the Thread class of this package makes a Thread describing another thread. */
type Slot = { hook: ExceptHook; mirror?: Mirror };
const slot: Slot = ((globalThis as Record<symbol, unknown>)[KEY] as Slot | undefined) ?? {
  hook: defaultExcepthook,
};
(globalThis as Record<symbol, unknown>)[KEY] = slot;

/**
 * Replaces the hook called when a thread fails and no `join()` is waiting for it (Python's
 * `threading.excepthook = hook`). An error that a join reports (as a `ThreadError`) does not reach the hook.
 * `undefined` restores {@link defaultExcepthook}. A hook that throws (or returns a promise that rejects) does
 * not crash the process: its error and the thread's are written to stderr.
 *
 * @param hook - the new hook, or undefined for the default
 * @returns the hook it replaced
 * @throws TypeError when `hook` is neither a function nor undefined
 * @example
 * ```ts
 * import { setExcepthook } from "@weft/threads";
 * setExcepthook(({ thread, excValue }) => logger.error({ thread: thread.name, err: excValue }));
 * ```
 */
export function setExcepthook(hook: ExceptHook | undefined): ExceptHook {
  if (hook !== undefined && typeof hook !== "function") {
    throw new TypeError(
      `setExcepthook(hook): hook must be a function or undefined, got ${hook === null ? "null" : typeof hook}`,
    );
  }
  const previous = slot.hook;
  slot.hook = hook ?? defaultExcepthook;
  return previous;
}

/**
 * The hook now in place (Python's `threading.excepthook`); {@link defaultExcepthook} unless replaced.
 *
 * @example
 * ```ts
 * const previous = getExcepthook();
 * setExcepthook((args) => { record(args); previous(args); });
 * ```
 */
export function getExcepthook(): ExceptHook {
  return slot.hook;
}

/** Called by thread.ts when the Thread class is defined (the first copy's class stays). */
export function provideThreadMirror(mirror: Mirror): void {
  slot.mirror ??= mirror;
}

/**
 * Reports an error that ended a worker thread weft did not start as a {@link Thread} (a pool's worker) while
 * nothing else carried it (no task of that worker was running): the excepthook (see `setExcepthook`) gets it
 * with a Thread describing that worker, as for a thread that failed unjoined. Extension API.
 *
 * @param info - the worker's thread name and `threadId`
 * @param error - what it died of
 * @example
 * ```ts
 * import { reportWorkerFailure } from "@weft/threads/extension";
 * worker.on("error", (e) => reportWorkerFailure({ name: "MyPool_0", ident: worker.threadId }, e));
 * ```
 */
export function reportWorkerFailure(
  info: { readonly name: string; readonly ident: number },
  error: unknown,
): void {
  const described = { name: info.name, ident: info.ident, daemon: true };
  // (No copy of the Thread class loaded yet: the hook gets the worker's name, ident and daemon flag as they are.)
  reportUnjoined(slot.mirror?.(described) ?? (Object.freeze(described) as unknown as Thread), error);
}

/** Called when `thread` ended with `error` and nobody was joining it. */
export function reportUnjoined(thread: Thread<any, any>, error: unknown): void {
  const hook = slot.hook;
  const args: ExceptHookArgs = Object.freeze({
    excType:
      typeof error === "object" && error !== null ? (error.constructor as Function | undefined) : undefined,
    excValue: error,
    thread,
  });
  try {
    const r = hook(args) as unknown;
    if (typeof (r as PromiseLike<unknown> | null)?.then === "function") {
      (r as PromiseLike<unknown>).then(undefined, (failure: unknown) => hookFailed(failure, args));
    }
  } catch (failure) {
    hookFailed(failure, args);
  }
}

/** Like Python when threading.excepthook itself raises: report both, keep running. */
function hookFailed(failure: unknown, args: ExceptHookArgs): void {
  // Two reports, each on its own: whatever the hook threw must not cost the report of the thread's error.
  try {
    process.stderr.write(`Exception in threading.excepthook:\n${describe(failure)}\n`);
  } catch {
    // stderr itself failed: nothing left to report to
  }
  try {
    defaultExcepthook(args);
  } catch {
    // likewise
  }
}

/** What Node itself prints for an uncaught value: an Error's stack, a string as it is, anything else inspected. */
function describe(error: unknown): string {
  try {
    if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
    return typeof error === "string" ? error : inspect(error);
  } catch {
    try {
      return Object.prototype.toString.call(error);
    } catch {
      return `[${typeof error} that cannot be described]`; // a revoked Proxy, or one whose traps all throw
    }
  }
}
