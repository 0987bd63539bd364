// Wire format between the executor core and a worker's task server. Messages are flat arrays of numbers
// and payloads (no per-task objects): cheap to build, cheap to structured-clone, easy to batch.
//
// core -> worker, one message = a batch: [firstSlot, record, record, ...]; the tasks of one batch occupy
// consecutive slots of the worker's window (modulo its size), starting at firstSlot. A record is
//   DEFINE, targetIndex, spec                       (before the first task that uses a target)
//   code, args[, context]                           (a task: code = target * CODE_SCALE + flags, >= 0;
//                                                    context only with FLAG_CONTEXT)
// worker -> core:
//   [MSG_READY]                                     (initializer done; tasks may run)
//   [MSG_INIT_FAILED, serializedError]              (initializer threw: the executor is broken)
//   [MSG_RESULTS, firstSlot, status, value, status, value, ...]   (consecutive slots from firstSlot)
// An error (serializedError, or the value of a STATUS_ERROR) is @weft/threads' serializeError() data, or any
// structured-cloneable value (e.g. an Error) that a transport posts as it is.
//
// Slot states (an Int32Array over shared memory when the transport can share it): the core stores
// SLOT_PENDING before posting a task; the worker compare-exchanges PENDING -> RUNNING before it runs it, and
// the core compare-exchanges PENDING -> WITHDRAWN to cancel or take back a task that has not started. The
// winner decides, so a task never both runs and counts as cancelled. The worker stores DONE once the task
// has finished, before its result is queued: a worker that is stopped can then be told apart from one that
// holds finished results (see ExecutorCore's stop of a worker).

export const DEFINE = -1;
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

export const STATUS_OK = 0;
export const STATUS_OK_ENCODED = 1;
export const STATUS_ERROR = 2;
export const STATUS_SKIPPED = 3;

export const SLOT_PENDING = 0;
export const SLOT_RUNNING = 1;
export const SLOT_WITHDRAWN = 2;
/** The task finished; its result is sent or about to be (written by the worker before it queues the result). */
export const SLOT_DONE = 3;

/** Bytes of a worker's shared slot memory: Int32 states, then (8-aligned) Float64 start times. */
export function slotBytes(window: number): number {
  return startsOffset(window) + 8 * window;
}

/** Byte offset of the Float64 start times (performance.timeOrigin + now() in ms, written by the worker). */
export function startsOffset(window: number): number {
  return (4 * window + 7) & ~7;
}

/** Number of task records in a core -> worker batch (DEFINE records excluded). */
export function countTasks(batch: readonly unknown[]): number {
  let n = 0;
  for (let i = 1; i < batch.length; ) {
    const code = batch[i] as number;
    if (code === DEFINE) i += 3;
    else {
      i += (code & FLAG_CONTEXT) === 0 ? 2 : 3;
      n++;
    }
  }
  return n;
}

/** Number of results in a worker -> core message (0 for other messages). */
export function countResults(message: readonly unknown[]): number {
  return message[0] === MSG_RESULTS ? (message.length - 2) >> 1 : 0;
}
