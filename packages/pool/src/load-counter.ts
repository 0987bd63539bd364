// The module loads a ready worker thread has in progress, counted in memory it shares with the core.
//
// Why: Node 20 (not 22 or 24) leaks a file descriptor when a worker thread is terminated while it opens or
// reads a module file: the read completes after the worker is gone and nothing closes the file. A worker
// that has reported ready still loads modules (a task's module when its first task arrives, @weft/sync or
// @weft/local-storage on first need), so the core stops it only once none is in progress: it swaps the count
// from 0 to STOPPING, after which the worker starts no load (it is about to end), and it waits for the count
// to fall to 0 otherwise (see ThreadChannel.terminate). One Int32: the count, or STOPPING.

const STOPPING = -1;

/**
 * Counts a worker's module loads in progress (worker side) and lets the core stop the worker between loads
 * (core side). Both sides make one over the same 4-byte SharedArrayBuffer.
 *
 * @example
 * ```ts
 * const loads = new LoadCounter(new SharedArrayBuffer(LoadCounter.BYTES));
 * const mod = await loads.run(() => import("./task.js")); // worker side
 * if (loads.tryStop()) void worker.terminate(); // core side: else try again shortly
 * ```
 */
export class LoadCounter {
  /** Bytes of shared memory one counter needs. */
  static readonly BYTES = Int32Array.BYTES_PER_ELEMENT;
  readonly #count: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#count = new Int32Array(buffer, 0, 1);
  }

  /**
   * Worker side: runs `load` counted as in progress until it settles. Once the core has begun to stop this
   * worker, starts nothing and returns a promise that never settles (the worker ends before it could).
   */
  run<T>(load: () => Promise<T>): Promise<T> {
    const count = this.#count;
    for (;;) {
      const n = Atomics.load(count, 0);
      if (n === STOPPING) return new Promise<T>(() => {});
      if (Atomics.compareExchange(count, 0, n, n + 1) === n) break;
    }
    let loading: Promise<T>;
    try {
      loading = load();
    } catch (err) {
      this.#end();
      return Promise.reject(err);
    }
    return loading.finally(this.#end);
  }

  readonly #end = (): void => {
    Atomics.sub(this.#count, 0, 1);
  };

  /** Core side: true once no load is in progress and none can start (the worker may be stopped now). */
  tryStop(): boolean {
    const count = this.#count;
    const n = Atomics.compareExchange(count, 0, 0, STOPPING);
    return n === 0 || n === STOPPING;
  }
}
