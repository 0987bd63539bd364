import type { ContextLocal } from "./context-local.js";
import { UNDEFINED_VALUE } from "./context-state.js";
import { ContextTokenError } from "./errors.js";

/** What {@link ContextToken.oldValue} returns when the variable had no value before `set()`. */
const MISSING: unique symbol = Symbol("ContextToken.MISSING");

let readToken: (token: ContextToken<unknown>) => TokenState;

interface TokenState {
  owner: object;
  previous: unknown;
  scope: object;
  used: boolean;
}

/**
 * Returned by {@link ContextLocal.set}: remembers the previous value so that {@link ContextLocal.reset} can put
 * it back (Python's `contextvars.Token`). A token resets once, only its own variable, and only in the context
 * where it was created. With `using`, the reset happens at the end of the block.
 *
 * @example
 * ```ts
 * const user = new ContextLocal<string>({ default: "anonymous" });
 * {
 *   using _token = user.set("ada");
 *   console.log(user.get()); // "ada"
 * }
 * console.log(user.get()); // "anonymous"
 * ```
 */
export class ContextToken<T> {
  /**
   * The marker {@link ContextToken.oldValue} returns when the variable was not set before.
   *
   * @example
   * ```ts
   * const token = new ContextLocal<number>({ default: 0 }).set(1);
   * console.log(token.oldValue === ContextToken.MISSING); // true
   * ```
   */
  static readonly MISSING: typeof MISSING = MISSING;

  static {
    readToken = (token) => token.#state;
  }

  readonly #state: TokenState;
  readonly #variable: ContextLocal<T>;

  /** @internal Tokens come from {@link ContextLocal.set}. */
  constructor(variable: ContextLocal<T>, previous: unknown, scope: object) {
    this.#variable = variable;
    this.#state = { owner: variable, previous, scope, used: false };
  }

  /**
   * The ContextLocal this token belongs to.
   *
   * @example
   * ```ts
   * const token = user.set("ada");
   * console.log(token.variable === user); // true
   * ```
   */
  get variable(): ContextLocal<T> {
    return this.#variable;
  }

  /**
   * The value the variable had before `set()`, or {@link ContextToken.MISSING} if it had none.
   *
   * @example
   * ```ts
   * user.set("ada");
   * console.log(user.set("grace").oldValue); // "ada"
   * ```
   */
  get oldValue(): T | typeof MISSING {
    const previous = this.#state.previous;
    if (previous === undefined) return MISSING;
    return (previous === UNDEFINED_VALUE ? undefined : previous) as T;
  }

  /**
   * Whether the token has already been used to reset its variable.
   *
   * @example
   * ```ts
   * const token = user.set("ada");
   * user.reset(token);
   * console.log(token.used); // true
   * ```
   */
  get used(): boolean {
    return this.#state.used;
  }

  /**
   * Resets the variable to its previous value unless the token was already used; what `using` calls.
   *
   * @example
   * ```ts
   * {
   *   using _ = user.set("ada");
   * } // reset here
   * ```
   */
  [Symbol.dispose](): void {
    if (!this.#state.used) this.#variable.reset(this);
  }
}

/**
 * Checks that `token` may reset `owner` (called `label`) in `scope`, marks it used and returns the raw previous
 * value to restore. Throws ContextTokenError otherwise.
 */
export function consumeToken(token: unknown, owner: object, label: string, scope: object): unknown {
  if (!(token instanceof ContextToken)) {
    throw new ContextTokenError(
      `${label}.reset() needs the token returned by ${label}.set(), got ${describe(token)}.`,
    );
  }
  const state = readToken(token);
  if (state.owner !== owner) {
    throw new ContextTokenError(
      `${label}.reset() was given a token created by another ContextLocal; reset each variable with its own token.`,
    );
  }
  if (state.used) {
    throw new ContextTokenError(
      `${label}.reset(): this token has already been used; a token resets its variable only once.`,
    );
  }
  if (state.scope !== scope) {
    throw new ContextTokenError(
      `${label}.reset(): the token was created in a different context (another run()/runWith()/isolate() ` +
        "scope); reset it in the context where set() was called.",
    );
  }
  state.used = true;
  return state.previous;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no prototype"})`;
  return typeof value;
}
