const done: Promise<void> = Promise.resolve();

/** Anything a {@link Guard} can release. */
export interface Releasable {
  release(): void;
}

/**
 * Proof of one successful acquire. Release it explicitly with `release()`, or let `using` /
 * `await using` release it at the end of the scope. One guard object is reused for every acquire of the
 * same primitive (so an uncontended acquire allocates nothing): use either `using` or `release()` for a
 * given acquire, not both, and do not keep a guard after releasing it.
 *
 * @example
 * ```ts
 * {
 *   using _ = await lock.acquire() as Guard;
 *   counter++;
 * } // released here
 * const g = lock.acquireSync();
 * g.release();
 * ```
 */
export class Guard {
  readonly #owner: Releasable;
  /** @internal */
  constructor(owner: Releasable) {
    this.#owner = owner;
  }
  /**
   * Releases one acquire of the primitive this guard came from.
   *
   * @example
   * ```ts
   * const g = lock.acquireSync() as Guard;
   * g.release();
   * ```
   */
  release(): void {
    this.#owner.release();
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
    this.#owner.release();
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
    this.#owner.release();
    return done;
  }
}
