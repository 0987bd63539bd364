// The wire format between the executor core and a worker's task server, and the one place that reads and
// writes it: every other module builds and takes apart messages through the functions below. Messages are
// flat arrays of numbers and payloads (no per-task objects): cheap to build, cheap to structured-clone, easy
// to batch.
//
// core -> worker, one message = a task batch: [firstSlot, record, record, ...]; the tasks of one batch occupy
// consecutive slots of the worker's window (a ring: the slot after the last is 0), starting at firstSlot.
// A record is
//   DEFINE, targetIndex, spec                       (before the first task that uses a target)
//   code, args[, context]                           (a task: code = target * CODE_SCALE + flags, >= 0;
//                                                    context only with FLAG_CONTEXT)
// or a stop request, a message of its own that occupies no slot: [slot, CANCEL, name, message] asks the task
// in `slot` to stop (its currentTask().signal aborts with an error of that name and message; see
// cancellation.ts).
// worker -> core:
//   [MSG_READY]                                     (initializer done; tasks may run)
//   [MSG_INIT_FAILED, serializedError]              (initializer threw: the executor is broken)
//   [MSG_RESULTS, firstSlot, status, value, status, value, ...]   (a result batch: consecutive slots)
// An error (serializedError, or the value of a STATUS_ERROR) is @weft/threads' serializeError() data, or any
// structured-cloneable value (e.g. an Error) that a transport posts as it is.
//
// Slot states (an Int32Array over shared memory when the transport can share it): the core stores
// SLOT_PENDING before posting a task; the worker compare-exchanges PENDING -> RUNNING before it runs it, and
// the core compare-exchanges PENDING -> WITHDRAWN to cancel or take back a task that has not started. The
// winner decides, so a task never both runs and counts as cancelled. The worker stores DONE once the task
// has finished, before its result is queued: a worker that is stopped can then be told apart from one that
// holds finished results (see crash-accounting.ts). To ask a running task to stop, the core also
// compare-exchanges RUNNING -> a SLOT_STOP_* state (the kind of stop) as it posts the stop request: the task
// can then see the request synchronously (currentTask().stopRequested), without its event loop turning. A
// SLOT_STOP_* slot counts as running; the worker's DONE overwrites it.

import type { TargetSpec } from "./worker-interop.js";

export const DEFINE = -1;
/** The second entry of a stop request (core -> worker). */
export const CANCEL = -2;
export const CODE_SCALE = 128;

/** args went through marshal.encode and must be decoded. */
export const FLAG_ENCODED = 1;
/** args is a list of single arguments: call the target once per item; the result is the list of results. */
export const FLAG_CHUNK = 2;
/** A propagated context follows the args. */
export const FLAG_CONTEXT = 4;
/** The args entry is the one (primitive) argument itself, not a list. */
export const FLAG_BARE = 8;
/** No arguments (the args entry is 0). */
export const FLAG_NOARGS = 16;
/** With FLAG_CHUNK: each item is an argument list (map over several iterables): call target(...item). */
export const FLAG_SPREAD = 32;
/**
 * The core may stop the worker while this task runs (it has a timeout or an AbortSignal): the worker sends
 * every result it holds before it starts the task, so a stop cannot lose the results of finished tasks.
 */
export const FLAG_STOPPABLE = 64;

export const MSG_READY = 0;
export const MSG_INIT_FAILED = 1;
export const MSG_RESULTS = 2;
/**
 * The worker is ending by itself (process.exit() or an uncaught error between tasks) and will never start
 * the tasks in these slots, which it was sent. Sent only without shared slot memory, where the core cannot
 * see that for itself.
 */
export const MSG_DECLINED = 3;

export const STATUS_OK = 0;
export const STATUS_OK_ENCODED = 1;
export const STATUS_ERROR = 2;
/** The task was withdrawn before it started (the core won its slot): no result, the slot is only freed. */
export const STATUS_SKIPPED = 3;

export const SLOT_PENDING = 0;
export const SLOT_RUNNING = 1;
export const SLOT_WITHDRAWN = 2;
/** The task finished; its result is sent or about to be (written by the worker before it queues the result). */
export const SLOT_DONE = 3;
/**
 * The core asked the running task to stop: SLOT_STOP_ABORT (its signal aborted), + 1 (a timeout), + 2
 * (shutdown with cancelFutures, terminateWorkers()); see stopState(). These states count as running.
 */
export const SLOT_STOP_ABORT = 4;

// The error names of stop requests, by SLOT_STOP_* state.
const STOP_NAMES = ["AbortError", "TimeoutError", "CancelledError"] as const;
// What a task that sees its stop request in shared memory (before the request's message came) gets as its
// signal's message: the message carries the executor's own text, shared memory only the kind.
const STOP_TEXTS = [
  "the task was asked to stop: its future's signal was aborted",
  "the task was asked to stop: its timeout expired",
  "the task was asked to stop: the executor is shutting down with cancelFutures or terminating its workers",
] as const;

/** The slot state that asks a running task to stop with an error named `name` (AbortError if unknown). */
export function stopState(name: string): number {
  const k = STOP_NAMES.indexOf(name as (typeof STOP_NAMES)[number]);
  return SLOT_STOP_ABORT + Math.max(k, 0);
}

/** True when a slot state says the core asked its task to stop. */
export function isStopState(state: number): boolean {
  return state >= SLOT_STOP_ABORT;
}

/** The error name and message of the stop a SLOT_STOP_* state asks for. */
export function stopOf(state: number): [name: string, message: string] {
  const k = state - SLOT_STOP_ABORT;
  return [STOP_NAMES[k] ?? "AbortError", STOP_TEXTS[k] ?? STOP_TEXTS[0]];
}

/** Bytes of a worker's shared slot memory: Int32 states, then (8-aligned) Float64 start times. */
export function slotBytes(window: number): number {
  return startsOffset(window) + 8 * window;
}

/** Byte offset of the Float64 start times (performance.timeOrigin + now() in ms, written by the worker). */
export function startsOffset(window: number): number {
  return (4 * window + 7) & ~7;
}

// ---- ring arithmetic ----------------------------------------------------------------------------------

/** The slot after `slot` in a window of `window` slots (the window is a ring). */
export function nextSlot(slot: number, window: number): number {
  return slot + 1 === window ? 0 : slot + 1;
}

/** The slot `k` places after `slot` in a window of `window` slots (0 <= k < window). */
export function slotAfter(slot: number, k: number, window: number): number {
  const s = slot + k;
  return s >= window ? s - window : s;
}

// ---- task codes -----------------------------------------------------------------------------------------

/** The code of a task record: its target's index and its flags in one number. */
export function taskCode(target: number, flags: number): number {
  return target * CODE_SCALE + flags;
}

// ---- task batches (core -> worker) ----------------------------------------------------------------------

/**
 * Adds a task to the batch being built for one worker and returns the batch: a new list, built at its final
 * size, for the common message of one task (growing an empty list costs a runtime call), else `batch`.
 * `spec` is the target's description when this worker does not know the target yet (a DEFINE goes first).
 */
export function appendTask(
  batch: unknown[],
  slot: number,
  target: number,
  spec: TargetSpec | undefined,
  code: number,
  args: unknown,
  context: unknown,
): unknown[] {
  const withContext = (code & FLAG_CONTEXT) !== 0;
  if (batch.length === 0) {
    if (spec === undefined && !withContext) return [slot, code, args];
    batch.push(slot);
  }
  if (spec !== undefined) batch.push(DEFINE, target, spec);
  if (withContext) batch.push(code, args, context);
  else batch.push(code, args);
  return batch;
}

/** Length of the record at `i` of a task batch. */
function recordLength(batch: readonly unknown[], i: number): number {
  const code = batch[i] as number;
  return code === DEFINE ? 3 : (code & FLAG_CONTEXT) === 0 ? 2 : 3;
}

/** Number of task records in a task batch (DEFINE records excluded; 0 for a stop request). */
export function countTasks(batch: readonly unknown[]): number {
  if (batch[1] === CANCEL) return 0;
  let n = 0;
  for (let i = 1; i < batch.length; i += recordLength(batch, i)) if (batch[i] !== DEFINE) n++;
  return n;
}

/**
 * Splits a task batch (that could not be sent whole) into one message per task, in order: `post(slot,
 * message)` gets each, its DEFINE records included, and returns false when that message could not be sent
 * either (then its DEFINEs go with the next task's message).
 */
export function splitBatch(
  batch: readonly unknown[],
  window: number,
  post: (slot: number, message: unknown[]) => boolean,
): void {
  let slot = batch[0] as number;
  const defines: unknown[] = [];
  for (let i = 1; i < batch.length; ) {
    const length = recordLength(batch, i);
    if (batch[i] === DEFINE) {
      defines.push(batch[i], batch[i + 1], batch[i + 2]);
      i += length;
      continue;
    }
    const message = [slot, ...defines, ...batch.slice(i, i + length)];
    i += length;
    if (post(slot, message)) defines.length = 0;
    slot = nextSlot(slot, window);
  }
}

// ---- stop requests (core -> worker) ---------------------------------------------------------------------

/**
 * Asks the task in `slot` to stop: the worker aborts its signal with an error named `name` (e.g.
 * "AbortError", "TimeoutError") carrying `message`. The future's own reason stays with the core.
 */
export function cancelMessage(slot: number, name: string, message: string): unknown[] {
  return [slot, CANCEL, name, message];
}

/** True for a stop request (not a task batch). */
export function isCancelMessage(message: readonly unknown[]): boolean {
  return message[1] === CANCEL;
}

/** The slot, error name and message of a stop request. */
export function cancelRequest(message: readonly unknown[]): [slot: number, name: string, message: string] {
  return [message[0] as number, message[2] as string, message[3] as string];
}

/** What {@link TaskReader.next} found. */
export const RECORD_END = 0;
export const RECORD_TASK = 1;
export const RECORD_DEFINE = 2;

/**
 * Reads the records of task batches, one batch after another (one reader per worker, reused: no object per
 * record). After `next()` returns RECORD_TASK, `slot`, `code`, `flags`, `target`, `args` and `context` describe the task; after
 * RECORD_DEFINE, `target` and `spec` the target.
 */
export class TaskReader {
  readonly #window: number;
  #batch: readonly unknown[] | null = null;
  #position = 0;
  #nextSlot = 0;
  slot = 0;
  code = 0;
  /** The task's FLAG_* bits. */
  flags = 0;
  target = 0;
  args: unknown = undefined;
  context: unknown = undefined;
  spec: TargetSpec | undefined = undefined;

  constructor(window: number) {
    this.#window = window;
  }

  /** True while a batch is loaded that has records left. */
  get reading(): boolean {
    return this.#batch !== null && this.#position < this.#batch.length;
  }

  /** Starts reading `batch` (the previous one must be read to its end). */
  load(batch: readonly unknown[]): void {
    this.#batch = batch;
    this.#nextSlot = batch[0] as number;
    this.#position = 1;
  }

  /** Moves to the next record of the loaded batch: RECORD_TASK, RECORD_DEFINE, or RECORD_END. */
  next(): number {
    const batch = this.#batch;
    if (batch === null) return RECORD_END;
    const i = this.#position;
    if (i >= batch.length) {
      this.#batch = null;
      this.args = this.context = this.spec = undefined;
      return RECORD_END;
    }
    const code = batch[i] as number;
    if (code === DEFINE) {
      this.target = batch[i + 1] as number;
      this.spec = batch[i + 2] as TargetSpec;
      this.#position = i + 3;
      return RECORD_DEFINE;
    }
    const flags = code % CODE_SCALE;
    this.code = code;
    this.flags = flags;
    this.target = (code - flags) / CODE_SCALE;
    this.args = batch[i + 1];
    if ((flags & FLAG_CONTEXT) !== 0) {
      this.context = batch[i + 2];
      this.#position = i + 3;
    } else {
      this.context = undefined;
      this.#position = i + 2;
    }
    const slot = this.#nextSlot;
    this.slot = slot;
    this.#nextSlot = nextSlot(slot, this.#window);
    return RECORD_TASK;
  }
}

// ---- worker -> core ---------------------------------------------------------------------------------------

/** MSG_READY, MSG_INIT_FAILED, MSG_RESULTS or MSG_DECLINED. */
export function messageKind(message: readonly unknown[]): number {
  return message[0] as number;
}

/** The worker's initializer ran: tasks may run. */
export function readyMessage(): unknown[] {
  return [MSG_READY];
}

/** The worker's initializer (or its start-up) failed with `error` (serializeError() data or a cloneable value). */
export function initFailedMessage(error: unknown): unknown[] {
  return [MSG_INIT_FAILED, error];
}

/** The error of a MSG_INIT_FAILED message. */
export function initFailure(message: readonly unknown[]): unknown {
  return message[1];
}

/** The worker will not start the tasks in `slots` (see MSG_DECLINED). */
export function declinedMessage(slots: readonly number[]): unknown[] {
  return [MSG_DECLINED, ...slots];
}

/** The slots of a MSG_DECLINED message, in the order they were sent. */
export function declinedSlots(message: readonly unknown[]): number[] {
  return message.slice(1) as number[];
}

// ---- result batches (worker -> core) --------------------------------------------------------------------

/** A result batch holding one result (built at its final size: the common message). */
export function resultBatch(slot: number, status: number, value: unknown): unknown[] {
  return [MSG_RESULTS, slot, status, value];
}

/** Adds the result of the slot after the batch's last one. */
export function appendResult(batch: unknown[], status: number, value: unknown): void {
  batch.push(status, value);
}

/** Number of results in a worker -> core message (0 for other messages). */
export function countResults(message: readonly unknown[]): number {
  return message[0] === MSG_RESULTS ? (message.length - 2) >> 1 : 0;
}

/** The slot of a result batch's first result. */
export function firstResultSlot(message: readonly unknown[]): number {
  return message[1] as number;
}

/** The status of a result batch's `k`-th result. */
export function resultStatus(message: readonly unknown[], k: number): number {
  return message[2 + 2 * k] as number;
}

/** The value of a result batch's `k`-th result. */
export function resultValue(message: readonly unknown[], k: number): unknown {
  return message[3 + 2 * k];
}

/**
 * Splits a result batch (that could not be sent whole) into its results, in order: `post(slot, status,
 * value)` gets each.
 */
export function splitResults(
  message: readonly unknown[],
  window: number,
  post: (slot: number, status: number, value: unknown) => void,
): void {
  const n = countResults(message);
  for (let k = 0, slot = firstResultSlot(message); k < n; k++, slot = nextSlot(slot, window)) {
    post(slot, resultStatus(message, k), resultValue(message, k));
  }
}

// ---- bare messages --------------------------------------------------------------------------------------
// The two common messages, one task without a context ([slot, code, args]) and one result ([MSG_RESULTS,
// slot, status, value]), can travel as their payload alone while their two numbers go another way (see
// task-headers.ts).

/** Index in `message` of the two numbers and the payload of a bare form, or -1 when it has none. */
export function bareStart(message: readonly unknown[], toCore: boolean): number {
  if (toCore) return message.length === 4 && message[0] === MSG_RESULTS ? 1 : -1;
  return message.length === 3 && (message[1] as number) >= 0 ? 0 : -1;
}

/** The message behind a bare form's two numbers and payload. */
export function fromBare(first: number, second: number, payload: unknown, toCore: boolean): unknown[] {
  return toCore ? resultBatch(first, second, payload) : [first, second, payload];
}

/** True for a result batch that holds exactly one result. */
export function isLoneResult(message: readonly unknown[]): boolean {
  return bareStart(message, true) === 1;
}
