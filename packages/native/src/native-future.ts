import { InvalidStateError } from "@weft/sync";

/** When and where a native job ran: CLOCK_MONOTONIC nanoseconds (same clock as `process.hrtime.bigint()`). */
export interface NativeTiming {
  /** When the job was queued on libuv's pool (on the event-loop thread). */
  queuedAt: bigint;
  /** When a pool thread started the kernel. */
  startedAt: bigint;
  /** When the kernel finished. */
  finishedAt: bigint;
  /** Linux thread id of the pool thread that ran it. */
  thread: number;
}

type State<T> = { kind: "pending" } | { kind: "ok"; value: T } | { kind: "error"; error: unknown };

/**
 * The handle of native work running on libuv's thread pool: a Promise-like (`await` it) with
 * `concurrent.futures.Future`-style inspection. It is not `@weft/pool`'s Future (this package depends only
 * on `@weft/sync`); wrap it with `Promise.resolve(f)` or pass it anywhere a thenable is accepted.
 *
 * @example
 * ```ts
 * import { sha256 } from "@weft/native";
 * const f = sha256(new Uint8Array(64 << 20));
 * console.log(f.done()); // false: it runs on another thread
 * const digest = await f;
 * console.log(f.done(), f.timing?.thread);
 * ```
 */
export class NativeFuture<T> implements PromiseLike<T> {
  readonly #promise: Promise<T>;
  #state: State<T> = { kind: "pending" };
  #timing: NativeTiming | undefined;

  /** @internal Built by the native-work functions. */
  constructor(
    job: Promise<[ArrayBuffer, bigint, bigint, bigint, number]>,
    convert: (digest: ArrayBuffer) => T,
  ) {
    this.#promise = job.then(
      ([digest, queuedAt, startedAt, finishedAt, thread]) => {
        this.#timing = { queuedAt, startedAt, finishedAt, thread };
        const value = convert(digest);
        this.#state = { kind: "ok", value };
        return value;
      },
      (error: unknown) => {
        this.#state = { kind: "error", error };
        throw error;
      },
    );
    // Observed through then()/result(); avoid an unhandled rejection when nobody awaits a failed job.
    this.#promise.catch(() => {});
  }

  /** Like `Promise.prototype.then`.
   * @example
   * ```ts
   * sha256(data).then((d) => console.log(d.length)); // 32
   * ```
   */
  // biome-ignore lint/suspicious/noThenProperty: a Future is deliberately thenable
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  /** Like `Promise.prototype.catch`.
   * @example
   * ```ts
   * await sha256(data).catch(() => undefined);
   * ```
   */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#promise.catch(onrejected);
  }

  /** True once the job has finished (successfully or not).
   * @example
   * ```ts
   * const f = sha256(data);
   * await f;
   * console.log(f.done()); // true
   * ```
   */
  done(): boolean {
    return this.#state.kind !== "pending";
  }

  /** The result of a finished job; rethrows its error; throws InvalidStateError while it still runs.
   * @example
   * ```ts
   * const f = sha256(data);
   * await f;
   * console.log(f.result().length); // 32
   * ```
   */
  result(): T {
    const s = this.#state;
    if (s.kind === "ok") return s.value;
    if (s.kind === "error") throw s.error;
    throw new InvalidStateError(
      "the native job is still running: await the future instead of calling result()",
    );
  }

  /** The error of a finished job, or undefined if it succeeded; throws InvalidStateError while it runs.
   * @example
   * ```ts
   * await f.catch(() => {});
   * console.log(f.exception());
   * ```
   */
  exception(): unknown {
    const s = this.#state;
    if (s.kind === "pending") {
      throw new InvalidStateError("the native job is still running: await the future first");
    }
    return s.kind === "error" ? s.error : undefined;
  }

  /** Where and when the job ran, once it is done (undefined before, or if it failed).
   * @example
   * ```ts
   * const f = sha256(data);
   * await f;
   * console.log(f.timing!.finishedAt - f.timing!.startedAt, "ns");
   * ```
   */
  get timing(): NativeTiming | undefined {
    return this.#timing;
  }
}
