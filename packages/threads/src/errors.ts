import { inspect } from "node:util";
import { registerErrorClass } from "@weft/sync/extension";
/**
 * A self-contained function target refers to variables defined outside its own body (closure variables,
 * imports, module-level constants). Such a function cannot be sent to another thread as source, because its
 * outer scope does not exist there.
 *
 * @example
 * ```ts
 * const limit = 10;
 * try {
 *   describeTarget((n: number) => n < limit);
 * } catch (error) {
 *   if (error instanceof ClosureError) console.log(error.variables); // ["limit"]
 * }
 * ```
 */
export class ClosureError extends TypeError {
  override name = "ClosureError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_CLOSURE";
  /** The outer names the function refers to, in order of first use. */
  readonly variables: readonly string[];

  /** @internal */
  constructor(functionName: string, variables: readonly string[], details: readonly string[]) {
    const list = variables.map((v) => `\`${v}\``).join(", ");
    super(
      `${describeFunction(functionName)} refers to ${variables.length === 1 ? "the outer variable" : "outer variables"} ${list}, ` +
        "which will not exist in the thread: a function target is sent as source and must be self-contained. " +
        `Pass ${variables.length === 1 ? "it" : "them"} as an argument (args: [...]), or move the function into a ` +
        "module and use a module target ({ module: new URL('./task.js', import.meta.url), export: 'name' })." +
        (details.length > 0 ? ` ${details.join(" ")}` : ""),
    );
    this.variables = variables;
  }
}

/**
 * A target (of a thread or a pool task) is malformed: neither a function nor `{ module, export? }`, or a
 * function that cannot be sent as source (bound, native, a class), or a module reference that cannot be resolved.
 *
 * @example
 * ```ts
 * try {
 *   describeTarget({ module: "./task.js" }); // relative specifier: nothing to resolve it against
 * } catch (error) {
 *   if (error instanceof TargetError) console.log(error.message);
 * }
 * ```
 */
export class TargetError extends TypeError {
  override name = "TargetError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_TARGET";
}

/**
 * A target could not be loaded inside the thread: the module failed to import, it has no such export, or the
 * export is not a function. The import failure, if any, is the `cause`.
 *
 * @example
 * ```ts
 * const t = new Thread({ target: { module: new URL("./task.js", import.meta.url), export: "missing" } }).start();
 * await t.join().catch((error) => console.log(error.cause instanceof Error && error.cause.name)); // "TargetLoadError"
 * ```
 */
export class TargetLoadError extends Error {
  override name = "TargetLoadError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_TARGET_LOAD";
}

/**
 * A thread method was called in a state that does not allow it: `start()` twice, `start()` while the process
 * is exiting (in a process `"exit"` listener, where the thread could never run), `join()` before `start()`,
 * joining the current or the main thread, or changing `daemon` after start.
 *
 * @example
 * ```ts
 * const t = new Thread({ target: () => 1 }).start();
 * try { t.start(); } catch (error) { console.log(error instanceof ThreadStateError); } // true
 * ```
 */
export class ThreadStateError extends Error {
  override name = "ThreadStateError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_THREAD_STATE";
}

/**
 * Rethrown by `join()` when the thread's target threw (or the thread died): `cause` is the error raised in the
 * thread, with the thread's own stack; `thread` names the thread.
 *
 * @example
 * ```ts
 * const t = new Thread({ target: () => { throw new RangeError("bad input"); } }).start();
 * try {
 *   await t.join();
 * } catch (error) {
 *   if (error instanceof ThreadError) console.log(error.thread, (error.cause as Error).stack);
 * }
 * ```
 */
export class ThreadError extends Error {
  override name = "ThreadError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_THREAD";
  /** The name of the thread that failed. */
  readonly thread: string;

  /** @internal */
  constructor(thread: string, cause: unknown) {
    super(`Thread "${thread}" failed: ${summarize(cause)}`, { cause });
    this.thread = thread;
  }
}

function describeFunction(name: string): string {
  return name === "" || name === "anonymous" ? "The target function" : `The target \`${name}\``;
}

/** Longest description of a thrown value that is not an Error in a message (the value is the `cause`). */
const THROWN_TEXT_MAX = 200;

function summarize(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  let text: string;
  try {
    text = inspect(value, {
      depth: 2,
      compact: true,
      breakLength: Number.POSITIVE_INFINITY,
      maxArrayLength: 10,
    });
  } catch {
    text = `a ${typeof value}`;
  }
  if (text.length > THROWN_TEXT_MAX) text = `${text.slice(0, THROWN_TEXT_MAX - 3)}...`;
  return `threw ${text} (not an Error)`;
}

/**
 * Bad options given to `new Thread(...)`: not an object, an unknown key (the message names the nearest valid
 * one), or a value of the wrong type.
 *
 * @example
 * ```ts
 * new Thread({ target, arg: [1] }); // ThreadOptionError: ... unknown option "arg" (did you mean "args"?) ...
 * ```
 */
export class ThreadOptionError extends TypeError {
  override name = "ThreadOptionError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_THREAD_OPTION";
}

/** @internal The `makeError` of this package's option checks (checkOptionKeys, checkResourceLimits). */
export function newThreadOptionError(message: string, options?: ErrorOptions): ThreadOptionError {
  return new ThreadOptionError(message, options);
}

/**
 * A worker entry of weft (the file a Thread, a pool worker or a pool child process runs) cannot be found, or the
 * `workerEntry` option does not name an existing file. It happens when the app is bundled and the bundle does
 * not contain weft's worker entries: the message names the entry, where it was looked for, and how to emit it
 * (see the "Bundling" pages of the docs) or point at it with `workerEntry`.
 *
 * @example
 * ```ts
 * try {
 *   new ThreadPoolExecutor({ workerEntry: "/missing/pool-worker.js" });
 * } catch (error) {
 *   if (error instanceof WorkerEntryError) console.log(error.message);
 * }
 * ```
 */
export class WorkerEntryError extends TypeError {
  override name = "WorkerEntryError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_WORKER_ENTRY";
}

registerErrorClass(ClosureError, "ERR_WEFT_CLOSURE");
registerErrorClass(TargetError, "ERR_WEFT_TARGET");
registerErrorClass(TargetLoadError, "ERR_WEFT_TARGET_LOAD");
registerErrorClass(ThreadStateError, "ERR_WEFT_THREAD_STATE");
registerErrorClass(ThreadError, "ERR_WEFT_THREAD");
registerErrorClass(ThreadOptionError, "ERR_WEFT_THREAD_OPTION");
registerErrorClass(WorkerEntryError, "ERR_WEFT_WORKER_ENTRY");
