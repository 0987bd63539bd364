import type { ResourceLimits } from "node:worker_threads";
import { checkOptionKeys, checkTimeout } from "@weft/sync/extension";
import type { Target } from "./describe-target.js";
import { newThreadOptionError, ThreadOptionError } from "./errors.js";
import { checkResourceLimits } from "./resource-limits.js";
import { startLater, Thread } from "./thread.js";
import { checkArgs, checkNameAndDaemon, checkTarget, kindOf } from "./thread-options.js";
import { checkWorkerEntry } from "./worker-entry.js";

/**
 * Options of a {@link Timer}: a thread's `name`, `daemon`, `workerEntry` and `resourceLimits`; an unknown key
 * is a `ThreadOptionError`.
 *
 * @example
 * ```ts
 * const options: TimerOptions = { name: "reminder", daemon: true };
 * ```
 */
export interface TimerOptions {
  /** Default (also for an empty string, as in Python): `Thread-N (target name)`. */
  name?: string;
  /** A daemon timer does not keep the process alive, waiting or running. Default: the current thread's flag. */
  daemon?: boolean;
  /** The thread worker entry to run, as in `new Thread({ workerEntry })`. */
  workerEntry?: string | URL;
  /** Node's limits for the timer's worker, as in `new Thread({ resourceLimits })`. */
  resourceLimits?: ResourceLimits;
}

const TIMER_OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ name: true, daemon: true, workerEntry: true, resourceLimits: true } satisfies Record<
    keyof TimerOptions,
    true
  >),
);

/**
 * Python's `threading.Timer`: a {@link Thread} that runs its target once, `interval` milliseconds after
 * `start()`, unless {@link Timer.cancel} is called first. While it waits it is alive and joinable, but no
 * worker exists yet: the worker is started when the interval has passed, so a timer cancelled in time costs no
 * thread. Any interval works (beyond setTimeout's ~24.8 days too).
 *
 * @example
 * ```ts
 * import { Timer } from "@weft/threads";
 * const timer = new Timer(30_000, (msg: string) => console.log(msg), ["30 s passed"]);
 * timer.start();
 * if (done) timer.cancel(); // the target never runs
 * await timer.join();
 * ```
 */
export class Timer<A extends unknown[] = unknown[], R = unknown> extends Thread<A, R> {
  /**
   * Milliseconds from `start()` to the start of the target.
   *
   * @example
   * ```ts
   * new Timer(250, () => {}).interval; // 250
   * ```
   */
  readonly interval: number;
  #cancel: (() => boolean) | undefined;
  #cancelled = false;

  /**
   * Creates a timer; nothing is scheduled until {@link Timer.start}.
   *
   * @param interval - milliseconds to wait: a number >= 0 (Infinity: never, until cancelled)
   * @param target - what to run: a self-contained function or `{ module, export }`, as for a Thread
   * @param args - its arguments (they cross like a Thread's)
   * @param options - `name`, `daemon`, `workerEntry`, `resourceLimits`
   * @throws InvalidTimeoutError when `interval` is negative, NaN or not a number
   * @example
   * ```ts
   * const t = new Timer(500, { module: new URL("./tasks.js", import.meta.url), export: "flush" });
   * ```
   */
  constructor(interval: number, target: Target<A, R>, args?: A, options: TimerOptions = {}) {
    const ms = checkTimeout("new Timer(interval)", interval);
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new ThreadOptionError(
        "new Timer(interval, target, args, options): options must be an object such as { name, daemon }, " +
          `got ${kindOf(options)}.`,
      );
    }
    checkOptionKeys("new Timer options", options, TIMER_OPTION_KEYS, newThreadOptionError, true);
    // Checked here, so that a bad value is reported as an argument of new Timer, not of new Thread.
    checkTarget("new Timer(interval, target)", target);
    checkArgs(
      "new Timer(interval, target, args)",
      args,
      typeof args === "object" && args !== null
        ? " (options come fourth: new Timer(interval, target, [], options))"
        : "",
    );
    const { name, daemon, workerEntry, resourceLimits } = options;
    const where = (option: string) => `new Timer(interval, target, args, { ${option} })`;
    checkNameAndDaemon(where, name, daemon);
    const entry = workerEntry === undefined ? undefined : checkWorkerEntry(where("workerEntry"), workerEntry);
    const limits = checkResourceLimits(where("resourceLimits"), resourceLimits, newThreadOptionError);
    super({
      target,
      args,
      name,
      daemon,
      ...(entry !== undefined ? { workerEntry: entry } : {}),
      ...(limits !== undefined ? { resourceLimits: limits } : {}),
    });
    this.interval = ms;
  }

  /**
   * Starts the timer: the thread is alive from now, and its target starts on a worker thread when `interval`
   * ms have passed. Throws like {@link Thread.start} (started twice or while the process
   * exits, ClosureError, MarshalError).
   *
   * @returns this timer
   * @example
   * ```ts
   * const timer = new Timer(1000, () => console.log("tick")).start();
   * ```
   */
  override start(): this {
    this.#cancel = startLater(this, this.#cancelled ? 0 : this.interval);
    if (this.#cancelled) this.#cancel();
    return this;
  }

  /**
   * A description like Python's repr of a Timer: as a Thread's, named `Timer`.
   *
   * @example
   * ```ts
   * String(new Timer(1000, () => 1, [], { name: "reminder" })); // "Timer(reminder, initial)"
   * ```
   */
  override toString(): string {
    return `Timer${super.toString().slice("Thread".length)}`;
  }

  /**
   * Stops the timer if it is still waiting: the target never runs, no worker is started, and the timer ends
   * (`join()` resolves true, `result` is undefined). Once the target has started, this does nothing. A timer
   * cancelled before `start()` ends as soon as it is started.
   *
   * @returns true when this call stopped the target from running
   * @example
   * ```ts
   * const timer = new Timer(60_000, () => console.log("too late")).start();
   * timer.cancel(); // true
   * ```
   */
  cancel(): boolean {
    if (this.#cancelled) return false;
    this.#cancelled = true;
    return this.#cancel === undefined ? true : this.#cancel();
  }
}
