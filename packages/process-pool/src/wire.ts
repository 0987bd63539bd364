// The few facts about @weft/pool's wire format (packages/pool/src/protocol.ts) this transport reads: how a
// batch is laid out, so it can count tasks (maxTasksPerChild, graceful stops) and report a task that
// cannot be sent as that task's result. @weft/pool does not export these; keep them in step with it
// (test/max-tasks-per-child.test.ts and test/serialization.test.ts fail if they drift).
//
// core -> worker batch: [firstSlot, record, ...]; record = DEFINE, targetIndex, spec | code, args[, ctx]
// worker -> core: [MSG_RESULTS, firstSlot, status, value, ...] (one status/value pair per slot)

/** Marks a target definition record. */
export const DEFINE = -1;
/** code = target * CODE_SCALE + flags. */
export const CODE_SCALE = 32;
/** A propagated context follows the args of a task record. */
export const FLAG_CONTEXT = 4;
/** Worker -> core: results of consecutive slots. */
export const MSG_RESULTS = 2;
/** Status of a failed task in a results message. */
export const STATUS_ERROR = 2;

/** Number of task records in a core -> worker batch. */
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
/** Worker -> core: the initializer failed (the value is the error). */
export const MSG_INIT_FAILED = 1;
