import {
  currentFrame,
  enableContextHooks,
  frameWith,
  newSlot,
  scopeOf,
  slotForName,
  storage,
  UNDEFINED_VALUE,
} from "./context-state.js";
import { ContextToken, consumeToken } from "./context-token.js";
import { ContextLookupError } from "./errors.js";
import { checkOptionKeys, kindOf } from "./options.js";
import { explainNotCrossable } from "./published-slots.js";
import { publishSnapshot } from "./snapshot.js";

/**
 * Options of {@link ContextLocal}.
 *
 * @example
 * ```ts
 * const options: ContextLocalOptions<string> = { name: "requestId", propagate: true, default: "none" };
 * ```
 */
export interface ContextLocalOptions<T> {
  /**
   * Identifies the variable in error messages and, when `propagate` is true, across threads and processes:
   * a snapshot fills the ContextLocal with the same name on the other side. Required when `propagate` is true.
   */
  name?: string;
  /**
   * Value `get()` returns when the variable is not set. Without a default, `get()` throws ContextLookupError
   * when unset; `default: undefined` is a valid default.
   */
  default?: T;
  /**
   * When true, {@link snapshot} captures this variable so threads, pools and process pools carry it into the
   * task. Its values must then be structured-cloneable. Default false.
   */
  propagate?: boolean;
}

const OPTION_KEYS = Object.keys({ name: true, default: true, propagate: true } satisfies Record<
  keyof ContextLocalOptions<unknown>,
  true
>);
let anonymous = 0;

/**
 * A context variable (Python's `contextvars.ContextVar`) on AsyncLocalStorage: its value follows the current
 * async flow, so concurrent requests handled by one event loop each see their own value.
 *
 * - `run(value, fn)` gives it `value` for the duration of `fn` and every async operation `fn` starts.
 * - `set(value)` changes it in the current context and returns a {@link ContextToken}; `reset(token)` undoes it.
 *   As with Python's `await coro()`, an async function that calls `set()` before its first `await` changes the
 *   caller's context too: start independent flows with `run()` or {@link isolate} to keep them apart.
 * - With `propagate: true` and a `name`, threads, pools and process pools carry the value into their tasks
 *   (see {@link snapshot} and {@link runWith}).
 *
 * @typeParam T - type of the value
 * @example
 * ```ts
 * const requestId = new ContextLocal<string | undefined>({ name: "requestId", propagate: true, default: undefined });
 *
 * async function handle(id: string) {
 *   await requestId.run(id, async () => {
 *     await new Promise((r) => setTimeout(r, 10));
 *     console.log(requestId.get()); // this request's id, whatever ran meanwhile
 *   });
 * }
 * await Promise.all([handle("a"), handle("b")]);
 * ```
 */
export class ContextLocal<T> {
  readonly #slot: number;
  readonly #name: string;
  readonly #propagate: boolean;
  readonly #hasDefault: boolean;
  readonly #default: T | undefined;

  /**
   * @param options - `name`, `default` and `propagate` (see {@link ContextLocalOptions})
   * @throws TypeError when an option is of the wrong type or unknown, or `propagate` is true without a `name`
   * @example
   * ```ts
   * const locale = new ContextLocal({ name: "locale", default: "en" });
   * ```
   */
  constructor(options: ContextLocalOptions<T> = {}) {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new TypeError(
        "new ContextLocal(options): options must be an object such as { name, default, propagate }, got " +
          `${kindOf(options)}.`,
      );
    }
    checkOptionKeys("new ContextLocal options", options, OPTION_KEYS);
    const { name, propagate = false } = options;
    if (name !== undefined && (typeof name !== "string" || name.length === 0)) {
      throw new TypeError(
        "new ContextLocal(options): name must be a non-empty string, got " +
          `${name === "" ? '""' : kindOf(name)}.`,
      );
    }
    if (typeof propagate !== "boolean") {
      throw new TypeError(
        `new ContextLocal(options): propagate must be a boolean, got ${kindOf(propagate)}.`,
      );
    }
    if (propagate && name === undefined) {
      throw new TypeError(
        "new ContextLocal({ propagate: true }) needs a name: the name identifies the variable in the thread or " +
          "process that receives it.",
      );
    }
    this.#name = name ?? `ContextLocal#${++anonymous}`;
    this.#propagate = propagate;
    this.#slot = propagate ? slotForName(this.#name) : newSlot();
    if (propagate) publishSnapshot();
    this.#hasDefault = "default" in options;
    this.#default = options.default;
    enableContextHooks();
  }

  /**
   * The variable's name (a generated one like `ContextLocal#3` when none was given).
   *
   * @example
   * ```ts
   * console.log(new ContextLocal({ name: "tenant", default: "" }).name); // "tenant"
   * ```
   */
  get name(): string {
    return this.#name;
  }

  /**
   * Whether {@link snapshot} carries this variable into threads, pools and process pools.
   *
   * @example
   * ```ts
   * console.log(new ContextLocal({ name: "tenant", propagate: true, default: "" }).propagate); // true
   * ```
   */
  get propagate(): boolean {
    return this.#propagate;
  }

  /**
   * The value in the current context, else `fallback` when one is passed (Python's `var.get(default)`, which
   * comes before the variable's own default; `undefined` counts when passed), else the variable's default.
   *
   * @param fallback - what to return when the variable has no value in this context
   * @throws ContextLookupError when the variable is not set, no fallback is passed and it has no default
   * @example
   * ```ts
   * const locale = new ContextLocal({ default: "en" });
   * locale.run("fr", () => console.log(locale.get())); // "fr"
   * console.log(locale.get()); // "en"
   * console.log(locale.get("de")); // "de"
   * ```
   */
  get(): T;
  get<D>(fallback: D): T | D;
  get(fallback?: unknown): unknown {
    const frame = currentFrame();
    if (frame !== undefined) {
      const raw = frame[this.#slot];
      if (raw !== undefined) return raw === UNDEFINED_VALUE ? undefined : raw;
    }
    // biome-ignore lint/complexity/noArguments: a fallback of undefined, passed, is a fallback (Python's get(None)).
    if (arguments.length > 0) return fallback;
    if (this.#hasDefault) return this.#default;
    throw new ContextLookupError(
      `ContextLocal "${this.#name}" has no value in this context and no default; set it with run()/set(), or ` +
        "give it a default (default: undefined is allowed).",
    );
  }

  /**
   * Whether the variable has a value in the current context (a default does not count).
   *
   * @example
   * ```ts
   * const locale = new ContextLocal({ default: "en" });
   * console.log(locale.isSet()); // false
   * locale.run("fr", () => console.log(locale.isSet())); // true
   * ```
   */
  isSet(): boolean {
    const frame = currentFrame();
    return frame !== undefined && frame[this.#slot] !== undefined;
  }

  /**
   * Sets the value in the current context: for the rest of this synchronous run and the async operations it
   * starts from now on. Returns a token for {@link ContextLocal.reset} (or `using`).
   *
   * @example
   * ```ts
   * const token = locale.set("de");
   * try {
   *   await render();
   * } finally {
   *   locale.reset(token);
   * }
   * ```
   */
  set(value: T): ContextToken<T> {
    const frame = currentFrame();
    const previous = frame === undefined ? undefined : frame[this.#slot];
    const scope = scopeOf(frame);
    storage.enterWith(frameWith(frame, this.#slot, value === undefined ? UNDEFINED_VALUE : value, scope));
    return new ContextToken(this, previous, scope);
  }

  /**
   * Puts back the value the variable had before the `set()` that returned `token`.
   *
   * @throws ContextTokenError when the token was already used, belongs to another ContextLocal, or was created in
   * a different context
   * @example
   * ```ts
   * const token = locale.set("de");
   * locale.reset(token);
   * ```
   */
  reset(token: ContextToken<T>): void {
    const frame = currentFrame();
    const previous = consumeToken(token, this, `ContextLocal "${this.#name}"`, scopeOf(frame));
    storage.enterWith(frameWith(frame, this.#slot, previous, scopeOf(frame)));
  }

  /**
   * Calls `fn` with the variable set to `value` in a new context, and returns what `fn` returns (a promise for
   * an async `fn`). Async operations started by `fn` keep the value; `set()` calls inside `fn` do not leak out.
   *
   * @example
   * ```ts
   * const result = await requestId.run("req-7", () => handleRequest());
   * ```
   */
  run<R>(value: T, fn: () => R): R {
    if (typeof fn !== "function") {
      throw new TypeError(
        `ContextLocal "${this.#name}".run(value, fn): fn must be a function, got ${kindOf(fn)}.`,
      );
    }
    const frame = frameWith(currentFrame(), this.#slot, value === undefined ? UNDEFINED_VALUE : value, null);
    return storage.run(frame, fn);
  }
}

// Passed to a thread or process (Python passes ContextVars around freely): say what works instead.
explainNotCrossable(ContextLocal as { prototype: ContextLocal<unknown> }, (local, boundary) => {
  const named = local.name ? ` (${JSON.stringify(local.name)})` : "";
  return (
    `is a ContextLocal${named}: a ContextLocal cannot cross ${boundary}. Pass its value (\`.get()\`) instead, ` +
    "or create a ContextLocal with the same name and propagate: true at module level in the code the task " +
    "or thread imports: the caller's value then arrives there by name"
  );
});
