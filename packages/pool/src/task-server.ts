import { performance } from "node:perf_hooks";
import { type RunningTask, setRunningTaskSource } from "./current-task.js";
import { HeldExitError } from "./held-exit.js";
import { loadLocalStorage, localStorageIfLoaded } from "./lazy-local-storage.js";
import { loadSync, syncIfLoaded } from "./lazy-sync.js";
import {
  appendResult,
  cancelRequest,
  countResults,
  declinedMessage,
  FLAG_BARE,
  FLAG_CHUNK,
  FLAG_CONTEXT,
  FLAG_ENCODED,
  FLAG_NOARGS,
  FLAG_SPREAD,
  FLAG_STOPPABLE,
  initFailedMessage,
  isCancelMessage,
  isStopState,
  nextSlot,
  RECORD_DEFINE,
  RECORD_END,
  readyMessage,
  resultBatch,
  SLOT_DONE,
  SLOT_PENDING,
  SLOT_RUNNING,
  STATUS_ERROR,
  STATUS_OK,
  STATUS_OK_ENCODED,
  STATUS_SKIPPED,
  splitResults,
  startsOffset,
  stopOf,
  TaskReader,
} from "./message-codec.js";
import { resultBytes } from "./result-size.js";
import type { TransferItem } from "./transfer.js";
import { isTransfer, unwrapTransfer } from "./transfer.js";
import type { WorkerInit } from "./transport.js";
import {
  type ContextSnapshot,
  isLeaf,
  loadTarget,
  serializeError,
  setBeforeBlocking,
  type TargetSpec,
  type TransportedError,
  taskScope,
} from "./worker-interop.js";

/**
 * The worker side of a transport (extension API): how {@link serveTasks} sends to and hears from the
 * executor core.
 *
 * @example
 * ```ts
 * const endpoint: TaskEndpoint = {
 *   post: (m, t) => parentPort!.postMessage(m, t),
 *   listen: (handler) => parentPort!.on("message", handler),
 * };
 * ```
 */
export interface TaskEndpoint {
  post(message: unknown[], transfer?: TransferItem[]): void;
  listen(handler: (message: unknown[]) => void): void;
  /**
   * Optional: registers `flush` to run when the worker is exiting (process.exit, an uncaught error), so
   * results of tasks that finished before the crash still reach the core. Worker threads deliver messages
   * posted from a `process.on("exit")` handler.
   */
  onExit?(flush: () => void): void;
  /**
   * Optional: when messages posted so far have not all left this worker yet (a child process's IPC writes a
   * large message over many turns of its event loop), a promise that resolves (never rejects) once they have;
   * else undefined. The server waits for it before it starts the next task, so a task that then blocks the
   * event loop, or crashes or is killed, does not take earlier results with it.
   */
  backlog?(): Promise<void> | undefined;
  /**
   * Optional: true when results cross a process boundary (a child process's IPC), not only a thread's: a
   * result that cannot reach another process (a SharedArrayBuffer, a thread-only Lock) then fails its task
   * with a MarshalError that says so.
   */
  crossProcess?: boolean;
  /**
   * Optional: runs each module load the server starts (the initializer's and a task's module, @weft/sync or
   * @weft/local-storage on first need) and returns its promise, so that the transport can tell when none is
   * in progress (a worker thread on Node 20 must not be terminated during one, see load-counter.ts).
   */
  guardLoad?<T>(load: () => Promise<T>): Promise<T>;
  /**
   * Optional: how many bytes of results one post surely writes at once, without a turn of this worker's event
   * loop (a child process's IPC channel: what its socket takes). Results held for a batch past it, or of a
   * size not told cheaply (see result-size.ts: a Map, a class instance, much data), are sent before the next
   * task starts,
   * which then waits for them to leave (see backlog): else a task that blocks the event loop would stop them
   * in the channel, though their send began before it blocked. Without it, a post needs no turn of the event
   * loop (a worker thread's postMessage).
   */
  writeLimit?: number;
}

type Fn = (...args: unknown[]) => unknown;

// AbortSignal's own accessors: a running task's signal is given accessors of its own that first check the
// task's stop request in shared memory (see TaskServer.#signal), and then answer with these.
const nativeAborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")!.get!;
const nativeReason = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason")!.get!;
const nativeThrowIfAborted = AbortSignal.prototype.throwIfAborted;

/**
 * Results are sent in batches: when the inbox is empty, before a task awaits, every half window, FLUSH_MS
 * after the oldest unsent result, and after any task that took SLOW_TASK_MS or more (then batching saves
 * nothing, and a result must not wait for the next long task). They are held while a task runs only if
 * weft cannot stop it (no timeout, no signal) and its target's last QUICK_RUNS measured runs were all shorter
 * than SLOW_TASK_MS: the results must neither wait for a task that may run long nor be lost with its worker
 * when weft stops it; and, where a post may need turns of the event loop, only while they surely leave in one
 * write (see TaskEndpoint.writeLimit). And before a task blocks its thread on a weft primitive (see
 * setBeforeBlocking).
 */
// How the task's arguments are named in a MarshalError when this side cannot rebuild one, as submit() names them.
const ARGS_PATH = { path: "args" } as const;
const FLUSH_MS = 2;
const SLOW_TASK_MS = 0.1;
const QUICK_RUNS = 2;
function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as any).then === "function"
  );
}

/**
 * True while @weft/sync is not loaded and a task's result (or what `transfer()` wraps) needs its marshal walk:
 * the result then waits for the load (see lazy-sync.ts).
 */
function awaitsSync(value: unknown): boolean {
  return syncIfLoaded() === undefined && !isLeaf(isTransfer(value) ? value.value : value);
}

/** Calls `fn` on each item of a chunk, each as a task of its own (see {@link call}). */
async function callChunk(fn: Fn, items: unknown[], spread: boolean): Promise<unknown[]> {
  const results = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const scope = taskScope();
    let r: unknown;
    if (scope !== undefined) {
      r = scope.run(() => (spread ? fn.apply(undefined, item as unknown[]) : fn(item)));
    } else {
      try {
        r = spread ? fn.apply(undefined, item as unknown[]) : fn(item);
      } finally {
        taskScope()?.enter(undefined);
      }
    }
    if (isThenable(r)) r = await r;
    results[i] = r;
  }
  return results;
}

/**
 * Calls a task's target with its arguments as the wire carries them (see the FLAG_* forms). With FLAG_ENCODED,
 * @weft/sync is loaded (the pump waits for it).
 *
 * Each call (each item of a chunk) runs in a copy of the context it is given (the task's snapshot over the
 * worker's context, else the worker's context), so a ContextLocal set() at a task's top level does not reach
 * later tasks. Until the thread has a ContextLocal, nothing can be set and the target is called directly; if it
 * creates the first one and sets it while running, the worker's flow is returned to no context after it.
 */
function call(fn: Fn, flags: number, rawArgs: unknown, ctx: ContextSnapshot | undefined): unknown {
  const scope = taskScope();
  if ((flags & (FLAG_BARE | FLAG_NOARGS)) !== 0 && ctx === undefined && scope === undefined) {
    try {
      return (flags & FLAG_BARE) !== 0 ? fn(rawArgs) : fn();
    } finally {
      taskScope()?.enter(undefined);
    }
  }
  const args =
    (flags & FLAG_ENCODED) !== 0
      ? syncIfLoaded()!.marshal.decode<unknown[]>(rawArgs, ARGS_PATH)
      : (flags & FLAG_BARE) !== 0
        ? [rawArgs]
        : (flags & FLAG_NOARGS) !== 0
          ? []
          : (rawArgs as unknown[]);
  if ((flags & FLAG_CHUNK) !== 0) {
    const spread = (flags & FLAG_SPREAD) !== 0;
    return ctx === undefined
      ? callChunk(fn, args, spread)
      : localStorageIfLoaded()!.runWith(ctx, () => callChunk(fn, args, spread));
  }
  if (ctx !== undefined) return localStorageIfLoaded()!.runWith(ctx, () => fn.apply(undefined, args));
  if (scope !== undefined) return scope.run(() => fn.apply(undefined, args));
  try {
    return fn.apply(undefined, args);
  } finally {
    taskScope()?.enter(undefined);
  }
}

/**
 * The tasks of one worker (thread or child process): loads targets, runs the initializer, runs tasks one
 * after another (restoring each task's propagated context) and posts results back in batches.
 *
 * Tasks run one after another, synchronously while they return plain values (no promise per task or batch).
 * A task that returns a promise, or whose target is not loaded yet, parks the pump; the handlers below
 * (bound once, not per task) finish it and resume. Only one task is ever parked.
 */
class TaskServer {
  readonly #endpoint: TaskEndpoint;
  readonly #window: number;
  readonly #crossProcess: boolean;
  readonly #states: Int32Array | null;
  readonly #starts: Float64Array | null;
  readonly #origin = performance.timeOrigin;
  /** Results held before a flush (half the window). */
  readonly #flushCount: number;
  readonly #specs: TargetSpec[] = [];
  readonly #fns: (Fn | undefined)[] = [];
  /** Per target, its consecutive measured runs shorter than SLOW_TASK_MS, up to QUICK_RUNS (see #afterTask). */
  readonly #quickRuns: number[] = [];
  /** The target of the task running (or parked after it started). */
  #runningTarget = 0;
  /** The batch being worked through, and batches that arrived meanwhile. */
  readonly #reader: TaskReader;
  readonly #inbox: unknown[][] = [];
  #inboxHead = 0;
  #ready = false;
  // The result batch being built, and the slot the next result must have to join it. Both lists are
  // replaced, not truncated, once posted: setting an array's length is a runtime call.
  #out: unknown[] | null = null;
  /** The endpoint's writeLimit (Infinity without one), and what the results in #out add up to against it. */
  readonly #writeLimit: number;
  #outBytes = 0;
  #outNextSlot = -1;
  #outTransfer: TransferItem[] = [];
  #firstPendingAt = 0;
  /** When the task now running started: a new batch of results counts its age from there. */
  #taskStartedAt = 0;
  // The parked task (see the class comment).
  #parked = false;
  /** Parked before it was claimed, while its target (or what its arguments need) loads: it has not started. */
  #loadParked = false;
  #parkedSlot = 0;
  #parkedStartedAt = 0;
  #parkedTarget = 0;
  #parkedFlags = 0;
  #parkedArgs: unknown;
  #parkedContext: ContextSnapshot | undefined;
  /** A finished task's value waits for @weft/sync to be encoded (see awaitsSync): its result is owed. */
  #finishing = false;
  /**
   * An error thrown outside any task (say, by a timer a finished task left behind) that would end this worker
   * while results of finished tasks have not all left it: held back until they have (see #onUncaught); no task
   * starts meanwhile.
   */
  #stray: { error: unknown } | undefined;
  #dying = false;
  /** process.exit as it was before serve() replaced it (see #exit; serveTasks calls serve() right away). */
  #exitNow: (code?: number | string | null) => never = process.exit;
  /**
   * What process.exit() throws while it waits for finished results to leave (see #exit), set then; once set,
   * #stray is too (nothing starts, errors thrown meanwhile end nothing more) and the wait ends in #exitNow.
   */
  #heldExit: HeldExitError | undefined;
  /** The context the initializer left (see #execute); undefined when it set none. */
  #workerContext: unknown;
  // The task running now (for currentTask()): its slot (-1 between tasks), and its AbortController, made
  // only when the task reads its signal. A stop request for it (or for the task whose target is loading)
  // that came before the signal was read waits in #stopSlot/#stopName/#stopMessage. With shared memory, a
  // stop request is also in the slot's state (a SLOT_STOP_* the core wrote), which stopRequested and the
  // signal's accessors check synchronously (#signalAccessors, made once, given to each signal made).
  #runningSlot = -1;
  #controller: AbortController | undefined;
  #stopSlot = -1;
  #stopName = "";
  #stopMessage = "";
  readonly #running: RunningTask;
  readonly #signalAccessors: PropertyDescriptorMap | null;

  constructor(init: WorkerInit, endpoint: TaskEndpoint) {
    const window = init.window;
    this.#endpoint = endpoint;
    this.#window = window;
    this.#crossProcess = endpoint.crossProcess === true;
    this.#writeLimit = endpoint.writeLimit ?? Infinity;
    this.#states = init.slots === null ? null : new Int32Array(init.slots, 0, window);
    this.#starts = init.slots === null ? null : new Float64Array(init.slots, startsOffset(window), window);
    this.#flushCount = Math.max(1, window >> 1);
    this.#reader = new TaskReader(window);
    this.#running = new TaskServer.#Handle(this);
    const server = this;
    this.#signalAccessors =
      this.#states === null
        ? null
        : {
            aborted: {
              configurable: true,
              get(this: AbortSignal): boolean {
                server.#poll(this);
                return nativeAborted.call(this);
              },
            },
            reason: {
              configurable: true,
              get(this: AbortSignal): unknown {
                server.#poll(this);
                return nativeReason.call(this);
              },
            },
            throwIfAborted: {
              configurable: true,
              value(this: AbortSignal): void {
                server.#poll(this);
                nativeThrowIfAborted.call(this);
              },
            },
          };
    setRunningTaskSource(this);
  }

  /**
   * currentTask()'s answer: one per server, for every task it runs. A class (not an object literal) so that
   * V8 inlines its getters: polling `stopRequested` costs about what the Atomics.load in it does. Nested, to
   * reach the server's private members.
   */
  static readonly #Handle = class implements RunningTask {
    readonly #server: TaskServer;

    constructor(server: TaskServer) {
      this.#server = server;
    }

    get signal(): AbortSignal {
      return this.#server.#signal();
    }

    get stopRequested(): boolean {
      return this.#server.#stopRequested();
    }

    throwIfStopRequested(): void {
      const server = this.#server;
      if (server.#stopRequested()) {
        const signal = server.#signal();
        server.#poll(signal);
        throw nativeReason.call(signal);
      }
    }
  };

  /** The task running now, for currentTask(); null between tasks. */
  current(): RunningTask | null {
    return this.#runningSlot === -1 ? null : this.#running;
  }

  #signal(): AbortSignal {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = this.#controller = new AbortController();
      if (this.#stopSlot === this.#runningSlot) this.#abortRunning();
      else if (this.#signalAccessors !== null) {
        Object.defineProperties(controller.signal, this.#signalAccessors);
        this.#poll(controller.signal);
      }
    }
    return controller.signal;
  }

  /** True when the running task was asked to stop: by its slot's state, or by a stop request received. */
  #stopRequested(): boolean {
    const slot = this.#runningSlot;
    if (slot === -1) return false;
    const states = this.#states;
    if (states !== null && isStopState(Atomics.load(states, slot))) return true;
    if (this.#stopSlot === slot) return true;
    const controller = this.#controller;
    return controller !== undefined && nativeAborted.call(controller.signal);
  }

  /**
   * `signal` is the running task's and its slot's state asks it to stop, but the stop request's message has
   * not come yet (the task has not let its event loop turn): it aborts now, with the kind of stop the state
   * says and a message saying so (the message, when it comes, finds it aborted).
   */
  #poll(signal: AbortSignal): void {
    const slot = this.#runningSlot;
    const controller = this.#controller;
    const states = this.#states;
    if (slot === -1 || states === null || controller === undefined || controller.signal !== signal) return;
    if (nativeAborted.call(signal)) return;
    const state = Atomics.load(states, slot);
    if (!isStopState(state)) return;
    const [name, text] = stopOf(state);
    controller.abort(new DOMException(text, name));
  }

  #abortRunning(): void {
    this.#stopSlot = -1;
    this.#controller!.abort(new DOMException(this.#stopMessage, this.#stopName));
  }

  /**
   * A stop request: for the running task, or the one whose target is loading (it starts with its signal
   * aborted). Any other slot has finished already (its result is on its way): nothing to do.
   */
  #stopRequest(message: unknown[]): void {
    const [slot, name, text] = cancelRequest(message);
    const running = slot === this.#runningSlot;
    if (!running && !(this.#parked && slot === this.#parkedSlot)) return;
    this.#stopSlot = slot;
    this.#stopName = name;
    this.#stopMessage = text;
    if (running && this.#controller !== undefined && !nativeAborted.call(this.#controller.signal)) {
      this.#abortRunning();
    }
  }

  /**
   * The task in `slot` ended: currentTask() has none until the next starts, and a stop request it got ends
   * with it (one it never read would otherwise ask the next task in the same slot, with a window of 1, to stop).
   */
  #ended(): void {
    this.#runningSlot = -1;
    this.#stopSlot = -1;
    if (this.#controller !== undefined) this.#controller = undefined;
  }

  /**
   * An uncaught error: Node would end this worker now, taking with it the results of finished tasks that are
   * held for a batch, waiting for @weft/sync to encode them, or still being written (a child's IPC writes a
   * large message over many turns of its event loop). They are sent first, then the error is thrown again
   * with this listener gone, so the worker dies of it as it would have (printed, exit code 1). A listener of
   * the user's means Node would not end the worker: nothing is done then.
   */
  readonly #onUncaught = (error: unknown): void => {
    if (this.#stray !== undefined || process.listenerCount("uncaughtException") > 1) return;
    this.#stray = { error };
    this.#declineUnstarted(true);
    this.#dieOnceSent();
  };

  /**
   * process.exit() in the worker: Node would end it now, taking with it the results of finished tasks that
   * are waiting for @weft/sync to encode them or still being written (results merely held for a batch are
   * sent first). While there are any it exits once they have left, and throws a HeldExitError meanwhile (see
   * there). Once this worker is dying, or when nothing is owed, it exits at once.
   */
  readonly #exit = (code?: number | string | null): never => {
    // Validated as process.exit() validates it: a bad code throws to the caller.
    if (code !== undefined) process.exitCode = code ?? undefined;
    if (this.#stray === undefined) {
      this.flush();
      const owed = this.#finishing || this.#endpoint.backlog?.() !== undefined;
      this.#declineUnstarted(owed); // (a message to wait for, if it declines any)
      if (!owed && this.#endpoint.backlog?.() === undefined) return this.#exitNow.call(process);
      this.#heldExit = new HeldExitError();
      this.#stray = { error: this.#heldExit };
      this.#dieOnceSent();
    } else if (this.#dying) return this.#exitNow.call(process);
    throw this.#heldExit ?? new HeldExitError();
  };

  /** A task ended by throwing what process.exit() threw (see #exit): it did not finish, nothing is sent. */
  #exited(err: unknown): boolean {
    return this.#stray !== undefined && err instanceof HeldExitError;
  }

  /** Dies of the held error once nothing finished is still here (called again by whatever it waits for). */
  #dieOnceSent(): void {
    if (this.#finishing || this.#dying) return; // #onAsyncOk / #onAsyncError come back through #pump
    this.flush();
    const backlog = this.#endpoint.backlog?.();
    if (backlog !== undefined) {
      void backlog.then(() => this.#dieOnceSent());
      return;
    }
    this.#dying = true;
    process.removeListener("uncaughtException", this.#onUncaught);
    if (this.#heldExit !== undefined) this.#exitNow.call(process); // never returns
    const { error } = this.#stray!;
    process.nextTick(() => {
      throw error;
    });
  }

  /** Starts a module load through the endpoint's guard, if it has one (see TaskEndpoint.guardLoad). */
  #load<T>(load: () => Promise<T>): Promise<T> {
    const endpoint = this.#endpoint;
    return endpoint.guardLoad === undefined ? load() : endpoint.guardLoad(load);
  }

  /** Starts listening, runs the initializer and reports READY (or INIT_FAILED). */
  async serve(init: WorkerInit): Promise<void> {
    const endpoint = this.#endpoint;
    process.on("uncaughtException", this.#onUncaught);
    process.exit = this.#exit;
    endpoint.onExit?.(this.flush);
    // A task about to block its thread on a weft primitive first sends what finished before it: what it waits
    // for may be what those results let the program do next.
    setBeforeBlocking(this.flush);
    endpoint.listen(this.#receive);
    if (init.initializer !== null) {
      try {
        const initializer = init.initializer;
        const fn = (await this.#load(() => loadTarget(initializer))) as Fn;
        const args = init.initEncoded
          ? (await this.#load(loadSync)).marshal.decode<unknown[]>(init.initArgs, { path: "initArgs" })
          : init.initArgs;
        const r = fn.apply(undefined, args);
        if (isThenable(r)) await r;
        // What the initializer set (Python: the worker thread's own context) is every task's starting point.
        this.#workerContext = taskScope()?.current();
      } catch (err) {
        endpoint.post(initFailedMessage(this.#thrown(err)));
        return;
      }
    }
    this.#ready = true;
    endpoint.post(readyMessage());
    this.#pump();
  }

  readonly #receive = (message: unknown[]): void => {
    if (isCancelMessage(message)) {
      this.#stopRequest(message);
      return;
    }
    if (!this.#reader.reading && this.#inboxHead >= this.#inbox.length) this.#reader.load(message);
    else this.#inbox.push(message);
    this.#pump();
  };

  /** Sends the results held (an arrow function: the endpoint's exit hook calls it unbound). */
  readonly flush = (): void => {
    const batch = this.#out;
    if (batch === null) return;
    this.#out = null;
    this.#outNextSlot = -1;
    this.#outBytes = 0;
    const transfer = this.#outTransfer;
    if (transfer.length !== 0) this.#outTransfer = [];
    const endpoint = this.#endpoint;
    try {
      endpoint.post(batch, transfer.length === 0 ? undefined : transfer);
    } catch {
      // One result could not be cloned: send them one by one so only that task fails.
      splitResults(batch, this.#window, (slot, status, value) => {
        try {
          endpoint.post(resultBatch(slot, status, value), transfer);
        } catch (err) {
          endpoint.post(resultBatch(slot, STATUS_ERROR, this.#thrown(err)));
        }
      });
    }
  };

  /**
   * What a task (or the initializer) threw, as data for the core. A value that cannot cross is named by the
   * marshal walk when an earlier task loaded @weft/sync, else in the same words without it (no load for this).
   */
  #thrown(err: unknown): TransportedError {
    return serializeError(err, { marshal: syncIfLoaded()?.marshal, crossProcess: this.#crossProcess });
  }

  /** A task's outcome, in the order the core relies on: its slot says DONE before the result can be sent. */
  #push(slot: number, status: number, value: unknown): void {
    if (this.#states !== null && status !== STATUS_SKIPPED) Atomics.store(this.#states, slot, SLOT_DONE);
    const out = this.#out;
    if (out === null || slot !== this.#outNextSlot) {
      this.flush();
      this.#out = resultBatch(slot, status, value);
      this.#firstPendingAt = this.#taskStartedAt;
    } else appendResult(out, status, value);
    this.#outNextSlot = nextSlot(slot, this.#window);
    if (this.#writeLimit !== Infinity) this.#outBytes += resultBytes(status, value, this.#writeLimit);
  }

  #pushOk(slot: number, value: unknown): void {
    if (isTransfer(value)) value = unwrapTransfer(value, this.#outTransfer);
    if (isLeaf(value)) {
      this.#push(slot, STATUS_OK, value);
      return;
    }
    let encoded: unknown;
    try {
      encoded = syncIfLoaded()!.marshal.encode(value, { path: "result", crossProcess: this.#crossProcess });
    } catch (err) {
      this.#push(slot, STATUS_ERROR, this.#thrown(err));
      return;
    }
    this.#push(slot, STATUS_OK_ENCODED, encoded);
  }

  #afterTask(startedAt: number): void {
    // With nothing else to run, the pump flushes right after this task: no need to read the clock.
    const out = this.#out;
    if (out === null || (!this.#reader.reading && this.#inboxHead >= this.#inbox.length)) return;
    const now = performance.now();
    const slow = now - startedAt >= SLOW_TASK_MS;
    const quickRuns = this.#quickRuns;
    const target = this.#runningTarget;
    if (slow) quickRuns[target] = 0;
    else if (quickRuns[target]! < QUICK_RUNS) quickRuns[target] = quickRuns[target]! + 1;
    if (slow || countResults(out) >= this.#flushCount || now - this.#firstPendingAt >= FLUSH_MS) this.flush();
  }

  /**
   * Claims a slot for running (PENDING -> RUNNING); false when the core withdrew the task first. A task is
   * claimed only once its target is loaded, so a worker that dies while a module loads leaves the task
   * unstarted (it runs elsewhere). The start time is written before the slot turns RUNNING, so whoever sees
   * RUNNING sees this time.
   */
  #claim(slot: number, startedAt: number): boolean {
    this.#taskStartedAt = startedAt;
    if (this.#starts !== null) this.#starts[slot] = this.#origin + startedAt;
    const states = this.#states;
    return (
      states === null || Atomics.compareExchange(states, slot, SLOT_PENDING, SLOT_RUNNING) === SLOT_PENDING
    );
  }

  #resume(): void {
    this.#afterTask(this.#parkedStartedAt);
    this.#parked = false;
    this.#parkedArgs = this.#parkedContext = undefined;
    this.#pump();
  }

  readonly #onAsyncOk = (value: unknown): void => {
    if (awaitsSync(value)) {
      this.#finishing = true;
      this.#load(loadSync).then(() => this.#onAsyncOk(value), this.#onAsyncError);
      return;
    }
    this.#finishing = false;
    this.#ended();
    this.#taskStartedAt = this.#parkedStartedAt;
    this.#pushOk(this.#parkedSlot, value);
    this.#resume();
  };

  readonly #onAsyncError = (err: unknown): void => {
    this.#finishing = false;
    this.#ended();
    this.#taskStartedAt = this.#parkedStartedAt;
    if (!this.#exited(err)) this.#push(this.#parkedSlot, STATUS_ERROR, this.#thrown(err));
    this.#resume();
  };

  /** The target of a parked, unclaimed task failed to load: the task fails with that error (if still ours). */
  readonly #onLoadError = (err: unknown): void => {
    if (this.#stray !== undefined) {
      this.#leaveUnstarted();
      return;
    }
    this.#loadParked = false;
    this.#parkedStartedAt = performance.now();
    this.#stopSlot = -1; // a stop request for it ends with it (see #ended)
    if (this.#claim(this.#parkedSlot, this.#parkedStartedAt)) {
      this.#push(this.#parkedSlot, STATUS_ERROR, this.#thrown(err));
    } else this.#push(this.#parkedSlot, STATUS_SKIPPED, undefined);
    this.#resume();
  };

  readonly #onLoaded = (loaded: unknown): void => {
    const fn = loaded as Fn;
    this.#fns[this.#parkedTarget] = fn;
    if (this.#stray !== undefined) {
      this.#leaveUnstarted();
      return;
    }
    this.#loadParked = this.#parked = false;
    const slot = this.#parkedSlot;
    this.#runningTarget = this.#parkedTarget;
    const startedAt = performance.now();
    this.#parkedStartedAt = startedAt;
    if (!this.#claim(slot, startedAt)) {
      this.#stopSlot = -1;
      this.#push(slot, STATUS_SKIPPED, undefined);
      this.#parkedArgs = this.#parkedContext = undefined;
      this.#pump();
      return;
    }
    if (this.#execute(slot, startedAt, fn, this.#parkedFlags, this.#parkedArgs, this.#parkedContext)) {
      this.#parkedArgs = this.#parkedContext = undefined;
      this.#pump();
    }
  };

  /** Dying (see #onUncaught): the parked task, not claimed, does not start (the core runs it elsewhere). */
  #leaveUnstarted(): void {
    this.#parked = false;
    this.#parkedArgs = this.#parkedContext = undefined;
    this.#declineUnstarted();
    this.#dieOnceSent();
  }

  /**
   * Dying (see #onUncaught, #exit): the tasks received and not started (the one parked while its target
   * loads among them) never will be. With shared slot memory the core sees that in their slots and runs them
   * elsewhere; without it, it would count them as started and fail them when this worker exits, so it is told
   * (MSG_DECLINED), for those here now and, through #pump, for each batch that arrives later. With `notice`, even when there are
   * none: this worker is about to end, and the core sends it nothing more.
   */
  #declineUnstarted(notice = false): void {
    if (this.#states !== null) return;
    const slots: number[] = [];
    if (this.#loadParked) {
      this.#loadParked = false;
      slots.push(this.#parkedSlot);
    }
    while (this.#nextTask()) slots.push(this.#reader.slot);
    if (slots.length !== 0 || notice) this.#endpoint.post(declinedMessage(slots));
  }

  /** Runs one task; false when it parked (its result comes later). */
  #execute(
    slot: number,
    startedAt: number,
    fn: Fn,
    flags: number,
    rawArgs: unknown,
    ctx: ContextSnapshot | undefined,
  ): boolean {
    let r: unknown;
    this.#runningSlot = slot;
    if (this.#stopSlot !== slot) this.#stopSlot = -1;
    // The pump runs in whatever flow delivered the message; each task starts from the worker's context.
    if (this.#workerContext !== undefined) taskScope()!.enter(this.#workerContext);
    try {
      r = call(fn, flags, rawArgs, ctx);
      if (awaitsSync(r) && !isThenable(r)) {
        const value = r;
        this.#finishing = true;
        r = this.#load(loadSync).then(() => value);
      }
    } catch (err) {
      this.#ended();
      if (!this.#exited(err)) this.#push(slot, STATUS_ERROR, this.#thrown(err));
      this.#afterTask(startedAt);
      return this.#stray === undefined; // a process.exit() it made waits: the pump stops (see #exit)
    }
    if (isThenable(r)) {
      this.flush();
      this.#parked = true;
      this.#parkedSlot = slot;
      this.#parkedStartedAt = startedAt;
      try {
        r.then(this.#onAsyncOk, this.#onAsyncError);
      } catch (err) {
        this.#onAsyncError(err);
      }
      return false;
    }
    this.#ended();
    this.#pushOk(slot, r);
    this.#afterTask(startedAt);
    return this.#stray === undefined; // a process.exit() it made and caught waits: the pump stops (see #exit)
  }

  /**
   * Moves the reader to the next task record, taking in the target definitions before it and the batches of
   * the inbox; false once none is left.
   */
  #nextTask(): boolean {
    const reader = this.#reader;
    for (;;) {
      const record = reader.next();
      if (record === RECORD_END) {
        if (this.#loadNext()) continue;
        return false;
      }
      if (record !== RECORD_DEFINE) return true;
      this.#specs[reader.target] = reader.spec!;
      this.#quickRuns[reader.target] = 0;
    }
  }

  /** The next batch from the inbox into the reader; false when none waits. */
  #loadNext(): boolean {
    const inbox = this.#inbox;
    if (this.#inboxHead >= inbox.length) {
      if (this.#inboxHead !== 0) {
        inbox.length = 0;
        this.#inboxHead = 0;
      }
      return false;
    }
    this.#reader.load(inbox[this.#inboxHead]!);
    inbox[this.#inboxHead++] = undefined as unknown as unknown[];
    return true;
  }

  #pump(): void {
    if (this.#parked || !this.#ready) return;
    if (this.#stray !== undefined) {
      this.#declineUnstarted();
      this.#dieOnceSent();
      return;
    }
    const reader = this.#reader;
    while (this.#nextTask()) {
      const flags = reader.flags;
      const target = reader.target;
      const slot = reader.slot;
      const ctx = (flags & FLAG_CONTEXT) !== 0 ? (reader.context as ContextSnapshot) : undefined;
      // Nothing finished may wait for a task that may run long, or be lost if the core stops it, or be stopped
      // in the channel if it blocks (see FLUSH_MS and TaskEndpoint.writeLimit).
      if (
        (flags & FLAG_STOPPABLE) !== 0 ||
        (this.#quickRuns[target] ?? 0) < QUICK_RUNS ||
        this.#outBytes > this.#writeLimit
      ) {
        this.flush();
      }
      this.#runningTarget = target;
      const fn = this.#fns[target];
      const decodes = (flags & FLAG_ENCODED) !== 0 && syncIfLoaded() === undefined;
      const restores = ctx !== undefined && localStorageIfLoaded() === undefined;
      const backlog = this.#endpoint.backlog?.();
      if (fn === undefined || decodes || restores || backlog !== undefined) {
        // Claimed once its target (and, for encoded arguments, @weft/sync; for a context, @weft/local-storage)
        // is loaded (see #claim), and what was posted has left (see TaskEndpoint.backlog).
        this.flush();
        this.#parked = this.#loadParked = true;
        this.#parkedSlot = slot;
        this.#parkedTarget = target;
        this.#parkedFlags = flags;
        this.#parkedArgs = reader.args;
        this.#parkedContext = ctx;
        const spec = this.#specs[target]!;
        const loading = fn === undefined ? this.#load(() => loadTarget(spec)) : Promise.resolve(fn);
        (decodes || restores || backlog !== undefined
          ? Promise.all([
              loading,
              decodes ? this.#load(loadSync) : undefined,
              restores ? this.#load(loadLocalStorage) : undefined,
              backlog,
            ]).then(([f]) => f)
          : loading
        ).then(this.#onLoaded, this.#onLoadError);
        return;
      }
      const startedAt = performance.now();
      if (!this.#claim(slot, startedAt)) {
        this.#push(slot, STATUS_SKIPPED, undefined);
        continue;
      }
      if (!this.#execute(slot, startedAt, fn, flags, reader.args, ctx)) return;
    }
    this.flush();
  }
}

/**
 * Runs the tasks an executor core sends to this worker thread or child process (extension API): loads
 * targets, runs the initializer, runs tasks one after another (restoring each task's propagated context),
 * and posts results back in batches. Returns a promise that settles once the initializer has run.
 *
 * It listens for `uncaughtException` in the worker: an error thrown outside any task (a timer a finished task
 * left behind) is held back until the results of finished tasks have left the worker, then thrown again, so
 * the worker still dies of it. A listener of your own that handles such errors keeps the worker alive, as in
 * plain Node. Likewise it replaces `process.exit` in the worker: called while finished results are still on
 * their way, it exits once they have left and throws a `HeldExitError` (code `ERR_WEFT_HELD_EXIT`) meanwhile.
 *
 * @example
 * ```ts
 * // worker entry of a custom transport
 * import { serveTasks } from "@weft/pool/extension";
 * await serveTasks(workerData, { post: (m, t) => port.postMessage(m, t), listen: (h) => port.on("message", h) });
 * ```
 */
export function serveTasks(init: WorkerInit, endpoint: TaskEndpoint): Promise<void> {
  return new TaskServer(init, endpoint).serve(init);
}
