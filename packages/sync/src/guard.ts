import { ReleaseError } from "./errors.js";
import { inspectCustom, kGuardHeld, kReleaseGuard } from "./internal.js";

/** Anything a {@link Guard} can release. */
export interface Releasable {
  release(): void;
}

/**
 * @internal What a primitive implements for its guards. `ticket` names the acquisition a guard proves; each
 * primitive decides what it means (Lock: the hold ticket in its state word; RLock: the hold of this thread;
 * Semaphore: a permit). A guard that released successfully has the ticket {@link SPENT}.
 */
export interface GuardOwner {
  /** Releases the acquisition `ticket`, or throws ReleaseError (changing nothing) if it is not current. */
  [kReleaseGuard](ticket: number): void;
  /** true while the acquisition `ticket` is current (its release would succeed). */
  [kGuardHeld](ticket: number): boolean;
}

/** @internal The ticket of a guard that has released its acquisition (checked before the owner is asked). */
export const SPENT = -1;

const done: Promise<void> = Promise.resolve();

// Out of line, so Guard.release stays small enough for V8 to inline.
const spentGuard = (): ReleaseError =>
  new ReleaseError(
    "Guard.release: this guard was already released; release each acquisition exactly once (either " +
      "guard.release() or `using`, not both)",
  );

/**
 * Proof of one successful acquire. Release it explicitly with `release()`, or let `using` /
 * `await using` release it at the end of the scope. Each acquire returns its own guard, and a guard
 * releases only the acquisition it came from: a second release (a `release()` after `release()`, `using`
 * after an explicit `release()`, or a guard kept after the primitive was released by other means) throws
 * {@link ReleaseError} and changes nothing, so a stale guard can never release the next holder.
 *
 * @example
 * ```ts
 * {
 *   using _ = await lock.acquire() as Guard;
 *   counter++;
 * } // released here
 * const g = lock.acquireSync() as Guard;
 * g.release();
 * g.release(); // throws ReleaseError: already released
 * ```
 */
export class Guard {
  readonly #owner: GuardOwner;
  #ticket: number;
  /** @internal */
  constructor(owner: GuardOwner, ticket: number) {
    this.#owner = owner;
    this.#ticket = ticket;
  }
  /**
   * Releases the acquisition this guard came from. Throws {@link ReleaseError}, changing nothing, if it was
   * already released.
   *
   * @example
   * ```ts
   * const g = lock.acquireSync() as Guard;
   * g.release();
   * ```
   */
  release(): void {
    const ticket = this.#ticket;
    if (ticket === SPENT) throw spentGuard();
    this.#owner[kReleaseGuard](ticket);
    this.#ticket = SPENT;
  }
  /**
   * Same as {@link Guard.release}; called by `using`.
   *
   * @example
   * ```ts
   * { using _ = lock.acquireSync() as Guard; }
   * ```
   */
  [Symbol.dispose](): void {
    this.release();
  }
  /**
   * Same as {@link Guard.release}; called by `await using`.
   *
   * @example
   * ```ts
   * { await using _ = (await lock.acquire()) as Guard; }
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return done;
  }
  /** @internal true while this guard's acquisition is current. */
  [kGuardHeld](): boolean {
    return this.#ticket !== SPENT && this.#owner[kGuardHeld](this.#ticket);
  }
  /**
   * Readable form for `util.inspect` and `console.log`.
   *
   * @example
   * ```ts
   * console.log(lock.acquireSync()); // Guard <held>
   * ```
   */
  [inspectCustom](): string {
    return this.toString();
  }
  /**
   * `Guard <held>` while its acquisition is current, else `Guard <released>`.
   *
   * @example
   * ```ts
   * String(lock.acquireSync()); // "Guard <held>"
   * ```
   */
  toString(): string {
    return `Guard <${this[kGuardHeld]() ? "held" : "released"}>`;
  }
}
