// builtin-imports: keep (webpack emits `new Worker(new URL(...))` only for a Worker from worker_threads)
import { type ResourceLimits, SHARE_ENV, Worker, type WorkerOptions } from "node:worker_threads";
import { checkOptionKeys, checkTimeout, LongTimer, watchWorker } from "@weft/sync/extension";
import { selfInfo } from "./current-info.js";
import { describeTarget, inferredName, type Target } from "./describe-target.js";
import { deserializeError } from "./error-deserialize.js";
import { newThreadOptionError, ThreadError, ThreadOptionError, ThreadStateError } from "./errors.js";
import { provideThreadMirror, reportUnjoined } from "./excepthook.js";
import { startWorker } from "./exec-argv.js";
import { isLeaf } from "./leaf.js";
import { live } from "./live-threads.js";
import { contextSnapshot } from "./local-storage-slots.js";
import { decodeResult, encodeArgs } from "./marshal-bridge.js";
import type { ThreadBoot, ThreadInfo, ThreadOutcome } from "./protocol.js";
import { checkResourceLimits } from "./resource-limits.js";
import { SignalBridge } from "./signal-bridge.js";
import { checkArgs, checkNameAndDaemon, checkTarget, kindOf } from "./thread-options.js";
import { checkWorkerEntry, locateWorkerEntry, type WorkerEntrySpec } from "./worker-entry.js";

/**
 * Options of a {@link Thread}.
 *
 * @example
 * ```ts
 * const options: ThreadOptions<[number], void> = { target: countdown, args: [10], name: "countdown", daemon: true };
 * ```
 */
export interface ThreadOptions<A extends unknown[] = unknown[], R = unknown> {
  /** What to run: a self-contained function (sent as source) or `{ module, export }`. */
  target: Target<A, R>;
  /** Arguments for the target; they cross through `@weft/sync`'s marshal protocol (Locks, Events and
   * AbortSignals arrive as the same primitive). Default `[]`. */
  args?: A;
  /** Default (also for an empty string, as in Python): `Thread-N (target name)`. */
  name?: string;
  /** A daemon thread does not keep the process alive. Default: the daemon flag of the current thread (false in
   * the main thread). */
  daemon?: boolean;
  /** The thread worker entry to run (an absolute path or `file:` URL of `thread-worker.js`), for a setup where
   * weft cannot find it by itself (see the Bundling pages of the docs). Default: found beside this package's
   * module, emitted by the bundler, or beside the main script. */
  workerEntry?: string | URL;
  /** Node's limits for the thread's worker (`new Worker({ resourceLimits })`): `maxOldGenerationSizeMb`,
   * `maxYoungGenerationSizeMb`, `codeRangeSizeMb`, `stackSizeMb` (Python's `threading.stack_size()`), each a
   * number of megabytes > 0. A thread that exceeds its heap limit fails with a `ThreadError` whose cause is
   * Node's `ERR_WORKER_OUT_OF_MEMORY`. Default: Node's. */
  resourceLimits?: ResourceLimits;
}

/**
 * Options of {@link Thread.join}.
 *
 * @example
 * ```ts
 * const ended = await thread.join({ timeout: 500 });
 * ```
 */
export interface JoinOptions {
  /** Give up waiting after this many milliseconds (the join then resolves to false). A number >= 0 or
   * `Infinity` (the default: no limit); anything else rejects with `InvalidTimeoutError`. */
  timeout?: number;
  /** Stop waiting when aborted (the join rejects with the signal's reason); the thread keeps running. */
  signal?: AbortSignal;
}

const THREAD_OPTION_KEYS = new Set(
  Object.keys({
    target: true,
    args: true,
    name: true,
    daemon: true,
    workerEntry: true,
    resourceLimits: true,
  } satisfies Record<keyof ThreadOptions, true>),
);
const JOIN_OPTION_KEYS = new Set(
  Object.keys({ timeout: true, signal: true } satisfies Record<keyof JoinOptions, true>),
);

const THREAD_WORKER: WorkerEntrySpec = {
  name: "thread-worker",
  subpath: "@weft/threads/worker",
  option: "new Thread({ workerEntry })",
};
let threadWorker: string | ((options: WorkerOptions) => Worker) | undefined;

/**
 * The default thread worker entry, found once. `new Worker(new URL("./thread-worker.js", import.meta.url))` is
 * written out whole because webpack 5 recognises that expression, bundles the entry and rewrites the URL.
 */
function defaultEntry(): string | ((options: WorkerOptions) => Worker) {
  if (threadWorker === undefined) {
    // Read as a property: a CommonJS bundle of this ES module leaves import.meta empty.
    const here = (import.meta as { url?: string }).url;
    const found = locateWorkerEntry(THREAD_WORKER, here, true);
    threadWorker =
      found === "emitted"
        ? (options) => new Worker(new URL("./thread-worker.js", import.meta.url), options)
        : found;
  }
  return threadWorker;
}

type Outcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };
type State = "initial" | "started" | "stopped" | "external";

let counter = 0;
// A private key for the mirrors that stand for threads this isolate did not start (itself, the main thread).
const MIRROR = Symbol("mirror");
let makeMirror: (info: ThreadInfo) => Thread;
/**
 * @internal For Timer: starts `thread` now as far as its callers can see, and its worker after `delay` ms.
 * Returns the cancel function: true when the worker had not started yet (it now never will).
 */
export let startLater: (thread: Thread<any, any>, delay: number) => () => boolean;

// Nothing runs after the process's (or a worker thread's) "exit" event: a thread started from an exit listener
// would never run its target. Python refuses the same ("can't create new thread at interpreter shutdown").
// Prepended, so that it is set before exit listeners registered earlier run.
let exiting = false;
process.prependOnceListener("exit", () => {
  exiting = true;
});

/**
 * A thread of control: Python's `threading.Thread` on a Node worker thread. The target runs in its own
 * isolate, truly in parallel; arguments and the result cross through the marshal protocol, so Locks, Events and
 * other `@weft/sync` primitives passed in are shared, not copied. Console output of the thread appears in
 * order, and all of it before `join()` resolves. There is no way to kill a thread: stop it cooperatively by
 * passing an Event or an AbortSignal and checking it in the target.
 *
 * @example
 * ```ts
 * const thread = new Thread({ target: { module: new URL("./tasks.js", import.meta.url), export: "countdown" },
 *   args: [5] });
 * thread.start();
 * console.log(thread.isAlive); // true
 * await thread.join();
 * console.log(thread.result);
 * ```
 */
export class Thread<A extends unknown[] = unknown[], R = unknown> {
  readonly #target: Target<A, R> | undefined;
  readonly #args: A;
  #name: string;
  /** The explicit `workerEntry` (a checked path), or undefined for the default entry. */
  #entry: string | undefined;
  /** The checked `resourceLimits` (a copy), or undefined for Node's defaults. */
  #limits: ResourceLimits | undefined;
  #daemon: boolean;
  #state: State = "initial";
  #ident: number | undefined;
  #worker: Worker | undefined;
  #bridge: SignalBridge | undefined;
  #outcome: Outcome<R> | undefined;
  #joiners = 0;
  #observed = false;
  #ended: Promise<void> | undefined;
  #markEnded: (() => void) | undefined;
  /** A Timer's start, not yet due: the worker is started when it fires. */
  #pending: LongTimer | undefined;
  #exitCode: number | undefined;

  /**
   * Creates a thread; nothing runs until {@link Thread.start}. The target is checked at start.
   *
   * @example
   * ```ts
   * const t = new Thread({ target: (n: number) => n * 2, args: [21] });
   * ```
   */
  constructor(options: ThreadOptions<A, R>) {
    if ((options as unknown) === MIRROR) {
      this.#target = undefined;
      this.#args = [] as unknown as A;
      this.#name = "";
      this.#daemon = false;
      this.#state = "external";
      return;
    }
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      const got = kindOf(options);
      throw new ThreadOptionError(
        "new Thread(options): options must be an object with a `target`, " +
          (got === "a function" ? "got a function: pass it as { target }." : `got ${got}.`),
      );
    }
    checkOptionKeys("new Thread options", options, THREAD_OPTION_KEYS, newThreadOptionError, true);
    const { target, args, name, daemon, workerEntry, resourceLimits } = options;
    checkTarget("new Thread({ target })", target);
    checkArgs("new Thread({ args })", args);
    checkNameAndDaemon((option) => `new Thread({ ${option} })`, name, daemon);
    this.#entry =
      workerEntry === undefined ? undefined : checkWorkerEntry("new Thread({ workerEntry })", workerEntry);
    this.#limits = checkResourceLimits(
      "new Thread({ resourceLimits })",
      resourceLimits,
      newThreadOptionError,
    );
    this.#target = target;
    this.#args = (args ?? []) as A;
    // As Python's Thread(name=""): an empty name is no name.
    this.#name = name === undefined || name === "" ? defaultName(target) : name;
    this.#daemon = daemon ?? selfInfo().self.daemon;
  }

  static {
    makeMirror = (info) => {
      const mirror = new Thread(MIRROR as never);
      mirror.#name = info.name;
      mirror.#ident = info.ident;
      mirror.#daemon = info.daemon;
      return mirror;
    };
    // So that a copy of the excepthook module (bundled into another weft package) hands the hook this Thread.
    provideThreadMirror(makeMirror);
  }

  /**
   * The thread's name (not necessarily unique); may be changed at any time.
   *
   * @example
   * ```ts
   * thread.name = "downloader";
   * ```
   */
  get name(): string {
    return this.#name;
  }

  set name(value: string) {
    if (typeof value !== "string") throw new TypeError(`Thread.name must be a string, got ${kindOf(value)}.`);
    this.#name = value;
  }

  /**
   * The thread identifier (the worker's `threadId`; 0 for the main thread), or undefined before start.
   *
   * @example
   * ```ts
   * thread.start();
   * console.log(thread.ident); // e.g. 3
   * ```
   */
  get ident(): number | undefined {
    return this.#ident;
  }

  /**
   * Whether this is a daemon thread, which does not keep the process alive: the process may exit while it runs
   * (it is then stopped). Can only be set before start.
   *
   * @example
   * ```ts
   * const t = new Thread({ target: poll });
   * t.daemon = true;
   * t.start();
   * ```
   */
  get daemon(): boolean {
    return this.#daemon;
  }

  set daemon(value: boolean) {
    if (typeof value !== "boolean")
      throw new TypeError(`Thread.daemon must be a boolean, got ${kindOf(value)}.`);
    if (this.#state !== "initial") {
      throw new ThreadStateError(`Cannot set daemon on thread "${this.#name}": it has already been started.`);
    }
    this.#daemon = value;
  }

  /**
   * True from `start()` until the thread has ended and its output has been delivered.
   *
   * @example
   * ```ts
   * console.log(thread.isAlive ? "Still running" : "Completed");
   * ```
   */
  get isAlive(): boolean {
    return this.#state === "started" || this.#state === "external";
  }

  /**
   * The exit code, when the thread ended because code in it called `process.exit(code)`: that ends only the
   * thread (as `sys.exit()` in a Python thread), and `join()` resolves normally. Undefined otherwise (the
   * target returned or threw, or the thread has not ended).
   *
   * @example
   * ```ts
   * const t = new Thread({ target: () => process.exit(3) }).start();
   * await t.join(); // true
   * console.log(t.exitCode); // 3
   * ```
   */
  get exitCode(): number | undefined {
    return this.#exitCode;
  }

  /**
   * What the target returned (awaited), once the thread has ended successfully; otherwise undefined.
   *
   * @example
   * ```ts
   * await thread.join();
   * console.log(thread.result);
   * ```
   */
  get result(): R | undefined {
    return this.#outcome?.ok ? this.#outcome.value : undefined;
  }

  /**
   * The error the thread ended with (as thrown in the thread, with the thread's stack), or undefined.
   *
   * @example
   * ```ts
   * await thread.join().catch(() => {});
   * if (thread.error) console.error(thread.error);
   * ```
   */
  get error(): unknown {
    return this.#outcome !== undefined && !this.#outcome.ok ? this.#outcome.error : undefined;
  }

  /**
   * Starts the thread. Throws ThreadStateError if it was already started or the process is exiting (in a
   * process `"exit"` listener), if a function target is not self-contained
   * (ClosureError), if an argument cannot cross threads (MarshalError naming its path, e.g. `args[1].handler`),
   * or if a propagating context value cannot be cloned.
   *
   * @returns this thread, for chaining
   * @example
   * ```ts
   * const t = new Thread({ target: (n: number) => n + 1, args: [1] }).start();
   * ```
   */
  start(): this {
    const boot = this.#prepare();
    this.#spawn(boot, true);
    this.#begin();
    return this;
  }

  static {
    startLater = (thread, delay) => thread.#startLater(delay);
  }

  /** For Timer: the thread counts as started (alive, joinable) now; its worker starts after `delay` ms. */
  #startLater(delay: number): () => boolean {
    const boot = this.#prepare();
    this.#begin();
    const timer = new LongTimer(() => {
      this.#pending = undefined;
      try {
        this.#spawn(boot, false);
      } catch (error) {
        this.#fail(error);
        this.#end();
      }
    }, delay);
    if (this.#daemon && this.#joiners === 0) timer.unref();
    this.#pending = timer;
    return () => {
      if (this.#pending !== timer) return false;
      timer.clear();
      this.#pending = undefined;
      boot.signals?.port.close();
      this.#outcome = { ok: true, value: undefined as R };
      this.#end();
      return true;
    };
  }

  /** Checks that the thread can start and makes its boot data (throws what `start()` documents). */
  #prepare(): ThreadBoot {
    if (this.#state !== "initial") {
      throw new ThreadStateError(
        `Thread "${this.#name}" has already been started; a thread can be started only once. ` +
          "Create a new Thread to run the target again.",
      );
    }
    if (exiting) {
      throw new ThreadStateError(
        `Thread "${this.#name}" cannot start while the process is exiting (in a process 'exit' listener): ` +
          "its target would never run. Start it before the process exits, e.g. in a 'beforeExit' listener.",
      );
    }
    const spec = describeTarget(this.#target as Target<never[], unknown>);
    const context = contextSnapshot();
    // Numbers, strings and buffers cross as they are: the thread then loads no marshal walk (@weft/sync).
    const argsEncoded = !this.#args.every(isLeaf);
    const bridge = argsEncoded ? new SignalBridge() : undefined;
    const args = bridge === undefined ? this.#args : encodeArgs(this.#args, bridge);
    this.#bridge = bridge;
    return {
      target: spec,
      args,
      argsEncoded,
      context,
      name: this.#name,
      daemon: this.#daemon,
      main: selfInfo().main,
      signals: bridge?.open(),
    };
  }

  /** From here on the thread is alive: joinable, listed by enumerate(). */
  #begin(): void {
    this.#state = "started";
    this.#ended = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    live.add(this);
  }

  /** Starts the worker; on failure with `closeOnError`, the thread stays startable. */
  #spawn(boot: ThreadBoot, closeOnError: boolean): void {
    let worker: Worker;
    try {
      worker = startWorker(this.#entry ?? defaultEntry(), {
        workerData: boot,
        transferList: boot.signals ? [boot.signals.port] : [],
        env: SHARE_ENV,
        ...(this.#limits !== undefined ? { resourceLimits: this.#limits } : {}),
      });
    } catch (error) {
      if (closeOnError) {
        this.#bridge?.close();
        this.#bridge = undefined;
      }
      throw error;
    }
    this.#worker = worker;
    this.#ident = worker.threadId;
    watchWorker(worker); // its exit ends what it holds (locks it dies holding count as abandoned)
    worker.on("message", (message: ThreadOutcome) => this.#receive(message));
    worker.on("error", (error) => this.#fail(error));
    worker.on("messageerror", (error) => this.#fail(error));
    worker.once("exit", (code) => this.#exited(code));
    // After the listeners: adding a "message" listener refs the worker's port again.
    if (this.#daemon && this.#joiners === 0) worker.unref();
  }

  /**
   * Waits until the thread ends. Resolves to true when it has ended, false when `timeout` ms passed first.
   * If the target threw, rejects with a {@link ThreadError} whose `cause` is the thread's error (with the
   * thread's stack). While a join waits, even a daemon thread keeps the process alive.
   *
   * @example
   * ```ts
   * if (!(await thread.join({ timeout: 1000 }))) console.log("still running after 1 s");
   * ```
   */
  join(options: JoinOptions = {}): Promise<boolean> {
    let timeout: number;
    let signal: AbortSignal | undefined;
    try {
      if (typeof options !== "object" || options === null || Array.isArray(options)) {
        throw new ThreadOptionError(
          "join(options): options must be an object like { timeout, signal }, " +
            (typeof options === "number"
              ? `got the number ${options}: pass { timeout: ${options} }.`
              : `got ${kindOf(options)}.`),
        );
      }
      checkOptionKeys("join options", options, JOIN_OPTION_KEYS, newThreadOptionError);
      const given = options.timeout;
      signal = options.signal;
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw new ThreadOptionError(`join({ signal }): signal must be an AbortSignal, got ${kindOf(signal)}`);
      }
      timeout = given === undefined ? Number.POSITIVE_INFINITY : checkTimeout("join({ timeout })", given);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#state === "initial") {
      return Promise.reject(
        new ThreadStateError(`Cannot join thread "${this.#name}" before it is started; call start() first.`),
      );
    }
    if (this.#state === "external") {
      const which =
        this.#ident === selfInfo().self.ident ? "the current thread" : "a thread it did not start";
      return Promise.reject(
        new ThreadStateError(
          `Cannot join ${which} ("${this.#name}"): it would wait for itself or for its creator.`,
        ),
      );
    }
    if (this.#state === "stopped") return this.#settled();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<boolean>((resolve, reject) => {
      let timer: LongTimer | undefined;
      let done = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        timer?.clear();
        signal?.removeEventListener("abort", onAbort);
        if (--this.#joiners === 0 && this.#daemon) {
          this.#worker?.unref();
          this.#pending?.unref();
        }
        settle();
      };
      const onAbort = () => finish(() => reject(signal?.reason));
      if (this.#joiners++ === 0 && this.#daemon) {
        this.#worker?.ref();
        this.#pending?.ref();
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      // A LongTimer: a timeout beyond setTimeout's range (~24.8 days) must not fire after 1 ms.
      if (timeout !== Number.POSITIVE_INFINITY)
        timer = new LongTimer(() => finish(() => resolve(false)), timeout);
      this.#ended!.then(() => finish(() => this.#settled().then(resolve, reject)));
    });
  }

  /**
   * `await using` support: waits for the thread to end. If it failed and no `join()` has reported the error yet,
   * throws the ThreadError.
   *
   * @example
   * ```ts
   * await using worker = new Thread({ target: task }).start();
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state !== "started" && this.#state !== "stopped") return;
    const alreadyReported = this.#observed;
    await this.join().catch((error: unknown) => {
      if (!alreadyReported) throw error;
    });
  }

  /**
   * A description like Python's repr: name, state (`initial`, `started`, `stopped`), `daemon` for a daemon
   * thread, then the ident once the thread has one (it is kept after the thread ended).
   *
   * @example
   * ```ts
   * String(thread); // "Thread(Thread-1 (countdown), started 3)", then "Thread(Thread-1 (countdown), stopped 3)"
   * ```
   */
  toString(): string {
    const state = this.#state === "initial" ? "initial" : this.#state === "stopped" ? "stopped" : "started";
    const daemon = this.#daemon ? " daemon" : "";
    const ident = this.#ident === undefined ? "" : ` ${this.#ident}`;
    return `Thread(${this.#name}, ${state}${daemon}${ident})`;
  }

  /** Resolves or rejects according to the outcome of an ended thread. */
  #settled(): Promise<boolean> {
    const outcome = this.#outcome!;
    if (outcome.ok) return Promise.resolve(true);
    this.#observed = true;
    return Promise.reject(new ThreadError(this.#name, outcome.error));
  }

  #receive(message: ThreadOutcome): void {
    if (this.#outcome !== undefined) return;
    if (message.type === "result") {
      try {
        this.#outcome = {
          ok: true,
          value: (message.encoded ? decodeResult(message.value) : message.value) as R,
        };
      } catch (error) {
        this.#outcome = { ok: false, error };
      }
    } else {
      this.#outcome = { ok: false, error: deserializeError(message.error) };
    }
  }

  #fail(error: unknown): void {
    this.#outcome ??= { ok: false, error };
  }

  #exited(code: number): void {
    // No outcome and no error: the target called process.exit(code), which ends only this thread. Like
    // Python's SystemExit in a thread, that is a quiet end: join() resolves, exitCode tells the code.
    if (this.#outcome === undefined) {
      this.#outcome = { ok: true, value: undefined as R };
      this.#exitCode = code;
    }
    this.#worker = undefined;
    this.#end();
  }

  /** The thread has ended (its worker exited, or a Timer was cancelled or could not start its worker). */
  #end(): void {
    const outcome = this.#outcome!;
    this.#state = "stopped";
    this.#bridge?.close();
    this.#bridge = undefined;
    live.delete(this);
    this.#markEnded?.();
    if (!outcome.ok && this.#joiners === 0) reportUnjoined(this as Thread<any, any>, outcome.error);
  }
}

function defaultName(target: unknown): string {
  const n = ++counter;
  const label =
    typeof target === "function"
      ? inferredName(target)
      : typeof (target as { export?: unknown }).export === "string"
        ? (target as { export: string }).export
        : "";
  return label ? `Thread-${n} (${label})` : `Thread-${n}`;
}

let mainMirror: Thread | undefined;
let selfMirror: Thread | undefined;

/**
 * The Thread object for the thread that calls it: inside a weft thread, one standing for that thread (its
 * name, ident and daemon flag); in the main thread, {@link mainThread}. In a worker not started by weft it
 * is a "Dummy-<threadId>" thread.
 *
 * @example
 * ```ts
 * console.log(currentThread().name); // "MainThread", or "Thread-1 (worker)" inside a thread
 * ```
 */
export function currentThread(): Thread {
  const { self, main } = selfInfo();
  if (self.ident === main.ident) return mainThread();
  selfMirror ??= makeMirror(self);
  return selfMirror;
}

/**
 * The Thread object for the process's main thread (name "MainThread", ident 0).
 *
 * @example
 * ```ts
 * console.log(currentThread() === mainThread()); // true in the main thread
 * ```
 */
export function mainThread(): Thread {
  mainMirror ??= makeMirror(selfInfo().main);
  return mainMirror;
}

/**
 * The live threads this thread can see: the main thread, the current thread and every thread started from
 * here that has not ended (threads started inside other threads are visible there, not here).
 *
 * @example
 * ```ts
 * for (const t of enumerate()) console.log(t.name, t.ident);
 * ```
 */
export function enumerate(): Thread[] {
  const seen = new Set<Thread>([mainThread(), currentThread()]);
  for (const thread of live) seen.add(thread as Thread);
  return [...seen];
}

/**
 * How many threads {@link enumerate} would list now (Python's `threading.active_count()`): the main thread,
 * the current thread and the live threads started from here. Allocates no array.
 *
 * @example
 * ```ts
 * const t = new Thread({ target: () => new Promise((r) => setTimeout(r, 100)) }).start();
 * activeCount(); // 2 in the main thread: MainThread and t
 * ```
 */
export function activeCount(): number {
  const main = mainThread();
  const self = currentThread();
  let n = self === main ? 1 : 2;
  for (const thread of live) if (thread !== main && thread !== self) n++;
  return n;
}
