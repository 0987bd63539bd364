// A sibling package that a worker imports on first need, not in its entry's static graph (lazy-sync.ts,
// lazy-local-storage.ts). It is imported as the package itself, so a task's own import of it sees the same
// module instance (the same classes, the same per-thread state).

/**
 * One package loaded on first need: {@link LazyModule.loaded} once it has arrived, {@link LazyModule.load}
 * to import it (once; a failed import is tried again on the next call).
 *
 * @example
 * ```ts
 * const sync = new LazyModule(() => import("@weft/sync"));
 * const m = sync.loaded ?? (await sync.load());
 * ```
 */
export class LazyModule<T> {
  /** The module, once imported; undefined before. */
  loaded: T | undefined = undefined;
  #loading: Promise<T> | undefined = undefined;
  readonly #importer: () => Promise<T>;

  /** @param importer - the `import("...")` itself (a literal specifier, so that bundlers see it) */
  constructor(importer: () => Promise<T>) {
    this.#importer = importer;
  }

  /** Imports the module (once); a failed import is tried again by the next call. */
  load(): Promise<T> {
    this.#loading ??= this.#importer().then(
      (m) => (this.loaded = m),
      (err: unknown) => {
        this.#loading = undefined;
        throw err;
      },
    );
    return this.#loading;
  }
}
