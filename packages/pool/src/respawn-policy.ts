import { checkOptionKeys, LongTimer } from "@weft/sync/extension";
import { describeNonObject } from "./describe-non-object.js";
import { PoolOptionError } from "./errors.js";

/**
 * How an executor replaces workers that die before they are ready (while starting up or running the
 * initializer: a crash in a preloaded module, an OOM killer, a bad Node option). Each such death in a row
 * waits `backoffMs`, doubled every time up to `maxBackoffMs`, before a new worker starts; the deaths after
 * `retries` in a row break the executor ({@link BrokenExecutorError}: queued tasks fail with it and `submit`
 * throws it). A worker that gets ready resets the count. Tasks wait in the queue meanwhile; none of them had
 * started, so none fails. An initializer that throws breaks the executor at once (it would throw again).
 *
 * @example
 * ```ts
 * const pool = new ThreadPoolExecutor({ respawn: { retries: 10, backoffMs: 50, maxBackoffMs: 2000 } });
 * ```
 */
export interface RespawnOptions {
  /** Deaths before ready, in a row, that are retried (default 5; 0 breaks the executor at the first). */
  retries?: number;
  /** ms before the first replacement (default 100); each next one waits twice as long. */
  backoffMs?: number;
  /** Longest wait between replacements, in ms (default 5000). */
  maxBackoffMs?: number;
}

/** Validated {@link RespawnOptions} (extension API: part of CoreSettings). */
export interface RespawnSettings {
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
}

const RESPAWN_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ retries: true, backoffMs: true, maxBackoffMs: true } satisfies Record<
    keyof RespawnOptions,
    true
  >),
);

function newRespawnError(message: string, options?: ErrorOptions): PoolOptionError {
  return new PoolOptionError(message, options);
}

const DEFAULTS: RespawnSettings = { retries: 5, backoffMs: 100, maxBackoffMs: 5000 };

function nonNegative(name: string, v: unknown, dflt: number, integer: boolean): number {
  if (v === undefined) return dflt;
  if (
    typeof v !== "number" ||
    !(v >= 0) ||
    v === Number.POSITIVE_INFINITY ||
    (integer && !Number.isInteger(v))
  ) {
    throw new PoolOptionError(
      `respawn.${name} must be a finite ${integer ? "integer" : "number"} >= 0, got ${String(v)}`,
    );
  }
  return v;
}

/** Validates the `respawn` executor option and fills in its defaults. */
export function resolveRespawn(options: unknown): RespawnSettings {
  if (options === undefined) return DEFAULTS;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new PoolOptionError(
      `respawn must be an object such as { retries: 5, backoffMs: 100 }, got ${describeNonObject(options)}`,
    );
  }
  checkOptionKeys("respawn", options, RESPAWN_KEYS, newRespawnError, true);
  const o = options as RespawnOptions;
  const backoffMs = nonNegative("backoffMs", o.backoffMs, DEFAULTS.backoffMs, false);
  const maxBackoffMs = nonNegative(
    "maxBackoffMs",
    o.maxBackoffMs,
    Math.max(backoffMs, DEFAULTS.maxBackoffMs),
    false,
  );
  if (maxBackoffMs < backoffMs) {
    throw new PoolOptionError(
      `respawn.maxBackoffMs (${maxBackoffMs}) must not be below backoffMs (${backoffMs})`,
    );
  }
  return { retries: nonNegative("retries", o.retries, DEFAULTS.retries, true), backoffMs, maxBackoffMs };
}

/** The executor core's side of {@link RespawnOptions}: counts deaths before ready and holds spawning back. */
export class RespawnPolicy {
  readonly #settings: RespawnSettings;
  readonly #resume: () => void;
  #failures = 0;
  #timer: LongTimer | undefined;

  /** `resume` runs when a back-off ends: the core starts the workers it needs then. */
  constructor(settings: RespawnSettings, resume: () => void) {
    this.#settings = settings;
    this.#resume = resume;
  }

  /** True while no worker may be started (backing off after a death before ready). */
  get holding(): boolean {
    return this.#timer !== undefined;
  }

  /** Deaths before ready in a row so far. */
  get failures(): number {
    return this.#failures;
  }

  /** A worker died before it was ready. False when that spends the budget (the executor must break). */
  failed(): boolean {
    const { retries, backoffMs, maxBackoffMs } = this.#settings;
    if (++this.#failures > retries) return false;
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (this.#failures - 1));
    this.#timer?.clear();
    this.#timer = new LongTimer(this.#end, delay);
    return true;
  }

  /** A worker got ready: the count starts again. */
  ready(): void {
    this.#failures = 0;
  }

  /** Stops a back-off (the executor is shutting down or broken). */
  clear(): void {
    this.#timer?.clear();
    this.#timer = undefined;
  }

  #end = (): void => {
    this.#timer = undefined;
    this.#resume();
  };
}
