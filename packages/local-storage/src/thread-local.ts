import { checkOptionKeys, kindOf } from "./options.js";
import { explainNotCrossable } from "./published-slots.js";

/**
 * Options of {@link ThreadLocal}.
 *
 * @example
 * ```ts
 * const options: ThreadLocalOptions<Map<string, number>> = { init: () => new Map() };
 * ```
 */
export interface ThreadLocalOptions<T> {
  /** Creates this thread's value the first time `get()` needs it; called at most once per thread until `delete()`. */
  init: () => T;
  /**
   * Called with the value when it is dropped by `delete()` or `[Symbol.dispose]()`, e.g. to close a connection.
   * Not called when the thread, pool worker or child process ends: a pool stops its workers with
   * `worker.terminate()`, which runs no JavaScript in them, so the value goes away with the isolate.
   */
  dispose?: (value: T) => void;
}

const OPTION_KEYS = Object.keys({ init: true, dispose: true } satisfies Record<
  keyof ThreadLocalOptions<unknown>,
  true
>);

const UNSET = 0;
const INITIALISING = 1;
const SET = 2;

/**
 * One value per thread (Python's `threading.local`), created lazily by `init` the first time a thread reads it.
 * Every worker thread or child process loads its own copy of a module, so a ThreadLocal declared at module
 * level has an independent value in each thread; in a pool worker the value persists across all the tasks that
 * worker runs, which makes it the place for per-worker caches and connections. All async flows of one thread
 * share the value: use {@link ContextLocal} for per-request state.
 *
 * @typeParam T - type of the value
 * @example
 * ```ts
 * // tasks/db.ts, loaded by every pool worker
 * const connection = new ThreadLocal({ init: () => openConnection(), dispose: (c) => c.close() });
 * export default function query(sql: string) {
 *   return connection.get().query(sql); // one connection per worker, opened on its first task
 * }
 * ```
 */
export class ThreadLocal<T> {
  readonly #init: () => T;
  readonly #dispose: ((value: T) => void) | undefined;
  #state = UNSET;
  #value: T | undefined;

  /**
   * @param options - `init` creates the value; optional `dispose` releases it
   * @throws TypeError when `init` (or `dispose`) is not a function
   * @example
   * ```ts
   * const scratch = new ThreadLocal({ init: () => new Float64Array(1024) });
   * ```
   */
  constructor(options: ThreadLocalOptions<T>) {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      const got = kindOf(options);
      throw new TypeError(
        "new ThreadLocal(options): options must be an object such as { init, dispose }, got " +
          `${got === "a function" ? "a function: pass it as { init }" : got}.`,
      );
    }
    checkOptionKeys("new ThreadLocal options", options, OPTION_KEYS);
    if (typeof options.init !== "function") {
      throw new TypeError(
        "new ThreadLocal({ init }): init must be a function that creates the thread's value, got " +
          `${kindOf(options.init)}.`,
      );
    }
    if (options.dispose !== undefined && typeof options.dispose !== "function") {
      throw new TypeError(
        `new ThreadLocal({ init, dispose }): dispose must be a function when given, got ${kindOf(options.dispose)}.`,
      );
    }
    this.#init = options.init;
    this.#dispose = options.dispose;
  }

  /**
   * This thread's value, created by `init` on first use. If `init` throws, nothing is stored and the next
   * `get()` tries again.
   *
   * @throws Error when `init` itself reads the same ThreadLocal
   * @example
   * ```ts
   * const counter = new ThreadLocal({ init: () => ({ calls: 0 }) });
   * counter.get().calls++;
   * ```
   */
  get(): T {
    if (this.#state === SET) return this.#value as T;
    if (this.#state === INITIALISING) {
      throw new Error(
        "ThreadLocal: init() read the ThreadLocal it is initialising; init must not call get().",
      );
    }
    this.#state = INITIALISING;
    try {
      this.#value = this.#init();
    } catch (err) {
      this.#state = UNSET;
      throw err;
    }
    this.#state = SET;
    return this.#value;
  }

  /**
   * Replaces this thread's value (without calling `dispose` on the old one).
   *
   * @example
   * ```ts
   * counter.set({ calls: 0 });
   * ```
   */
  set(value: T): void {
    this.#value = value;
    this.#state = SET;
  }

  /**
   * Whether this thread already has a value (set, or created by `init`).
   *
   * @example
   * ```ts
   * console.log(counter.has()); // false until the first get() or set()
   * ```
   */
  has(): boolean {
    return this.#state === SET;
  }

  /**
   * Drops this thread's value, calling `dispose` on it; the next `get()` calls `init` again. Returns whether
   * there was a value.
   *
   * @example
   * ```ts
   * connection.delete(); // closes this worker's connection
   * ```
   */
  delete(): boolean {
    if (this.#state !== SET) return false;
    const value = this.#value as T;
    this.#state = UNSET;
    this.#value = undefined;
    this.#dispose?.(value);
    return true;
  }

  /**
   * Same as {@link ThreadLocal.delete}, so `using` releases the value at the end of a block.
   *
   * @example
   * ```ts
   * {
   *   using conn = new ThreadLocal({ init: open, dispose: (c) => c.close() });
   *   conn.get().send("ping");
   * } // closed here
   * ```
   */
  [Symbol.dispose](): void {
    this.delete();
  }
}

// Passed to a thread or process (Python passes a threading.local as an argument, and each thread sees its own
// attributes): say what gives the same thing here.
explainNotCrossable(
  ThreadLocal as { prototype: ThreadLocal<unknown> },
  (_local, boundary) =>
    `is a ThreadLocal: a ThreadLocal cannot cross ${boundary}, and need not: every thread and process has its ` +
    "own value of a ThreadLocal created at module level, in each copy of the module it loads. Create it at " +
    "module level in the module of the task or thread (a module target), and pass only data",
);
