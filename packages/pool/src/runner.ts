import { performance } from "node:perf_hooks";
import {
  type ContextSnapshot,
  loadTarget,
  marshal,
  runWith,
  serializeError,
  type TargetSpec,
} from "./interop.js";
import { isLeaf } from "./leaf.js";
import {
  CODE_SCALE,
  DEFINE,
  FLAG_BARE,
  FLAG_CHUNK,
  FLAG_CONTEXT,
  FLAG_ENCODED,
  FLAG_NOARGS,
  FLAG_SPREAD,
  FLAG_STOPPABLE,
  MSG_INIT_FAILED,
  MSG_READY,
  MSG_RESULTS,
  SLOT_DONE,
  SLOT_PENDING,
  SLOT_RUNNING,
  STATUS_ERROR,
  STATUS_OK,
  STATUS_OK_ENCODED,
  STATUS_SKIPPED,
  startsOffset,
} from "./protocol.js";
import type { TransferItem } from "./transfer.js";
import { isTransfer, unwrapTransfer } from "./transfer.js";
import type { WorkerInit } from "./transport.js";

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
   * Optional: true when results cross a process boundary (a child process's IPC), not only a thread's: a
   * result that cannot reach another process (a SharedArrayBuffer, a thread-only Lock) then fails its task
   * with a MarshalError that says so.
   */
  crossProcess?: boolean;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Results are sent in batches: when the inbox is empty, before a task awaits, every half window, FLUSH_MS
 * after the oldest unsent result, and after any task that took SLOW_TASK_MS or more (then batching saves
 * nothing, and a result must not wait for the next long task).
 */
const FLUSH_MS = 2;
const SLOW_TASK_MS = 0.1;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as any).then === "function"
  );
}

/**
 * Runs tasks sent by an executor core inside a worker thread or child process (extension API): loads
 * targets, runs the initializer, runs tasks one after another (restoring each task's propagated context),
 * and posts results back in batches. Returns a promise that settles once the initializer has run.
 *
 * @example
 * ```ts
 * // worker entry of a custom transport
 * import { serveTasks } from "@weft/pool";
 * await serveTasks(workerData, { post: (m, t) => port.postMessage(m, t), listen: (h) => port.on("message", h) });
 * ```
 */
export async function serveTasks(init: WorkerInit, endpoint: TaskEndpoint): Promise<void> {
  const window = init.window;
  const crossProcess = endpoint.crossProcess === true;
  const states = init.slots === null ? null : new Int32Array(init.slots, 0, window);
  const starts = init.slots === null ? null : new Float64Array(init.slots, startsOffset(window), window);
  const origin = performance.timeOrigin;
  const flushCount = 2 + 2 * Math.max(1, window >> 1);
  const specs: TargetSpec[] = [];
  const fns: (Fn | undefined)[] = [];
  // The message being worked through (`pos` is its next record), and messages that arrived meanwhile.
  let cur: unknown[] | null = null;
  const inbox: unknown[][] = [];
  let inboxHead = 0;
  let pos = 0;
  let slot = 0;
  let ready = false;
  // [MSG_RESULTS, firstSlot, status, value, ...]; `nextSlot` is the slot the next result must have to join.
  // Both lists are replaced, not truncated, once posted: setting an array's length is a runtime call.
  let out: unknown[] | null = null;
  let nextSlot = -1;
  let outTransfer: TransferItem[] = [];
  let firstPendingAt = 0;
  /** When the task now running started: a new batch of results counts its age from there. */
  let taskStartedAt = 0;

  const flush = (): void => {
    const batch = out;
    if (batch === null) return;
    out = null;
    nextSlot = -1;
    const transfer = outTransfer;
    if (transfer.length !== 0) outTransfer = [];
    try {
      endpoint.post(batch, transfer.length === 0 ? undefined : transfer);
    } catch {
      // One result could not be cloned: send them one by one so only that task fails.
      let s = batch[1] as number;
      for (let i = 2; i < batch.length; i += 2, s = s + 1 === window ? 0 : s + 1) {
        try {
          endpoint.post([MSG_RESULTS, s, batch[i], batch[i + 1]], transfer);
        } catch (err) {
          endpoint.post([MSG_RESULTS, s, STATUS_ERROR, serializeError(err)]);
        }
      }
    }
  };

  /** A task's outcome, in the order the core relies on: its slot says DONE before the result can be sent. */
  const push = (at: number, status: number, value: unknown): void => {
    if (states !== null && status !== STATUS_SKIPPED) Atomics.store(states, at, SLOT_DONE);
    if (out === null || at !== nextSlot) {
      flush();
      // Built at its final size for the common one-result message (growing a list costs a runtime call).
      out = [MSG_RESULTS, at, status, value];
      firstPendingAt = taskStartedAt;
    } else out.push(status, value);
    nextSlot = at + 1 === window ? 0 : at + 1;
  };

  const pushOk = (at: number, value: unknown): void => {
    if (isTransfer(value)) value = unwrapTransfer(value, outTransfer);
    if (isLeaf(value)) {
      push(at, STATUS_OK, value);
      return;
    }
    let encoded: unknown;
    try {
      encoded = marshal.encode(value, { path: "result", crossProcess });
    } catch (err) {
      push(at, STATUS_ERROR, serializeError(err));
      return;
    }
    push(at, STATUS_OK_ENCODED, encoded);
  };

  const callChunk = async (fn: Fn, items: unknown[], spread: boolean): Promise<unknown[]> => {
    const results = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      let r = spread ? fn.apply(undefined, items[i] as unknown[]) : fn(items[i]);
      if (isThenable(r)) r = await r;
      results[i] = r;
    }
    return results;
  };

  const call = (fn: Fn, flags: number, rawArgs: unknown, ctx: ContextSnapshot | undefined): unknown => {
    if ((flags & (FLAG_BARE | FLAG_NOARGS)) !== 0 && ctx === undefined) {
      return (flags & FLAG_BARE) !== 0 ? fn(rawArgs) : fn();
    }
    const args =
      (flags & FLAG_ENCODED) !== 0
        ? marshal.decode<unknown[]>(rawArgs)
        : (flags & FLAG_BARE) !== 0
          ? [rawArgs]
          : (flags & FLAG_NOARGS) !== 0
            ? []
            : (rawArgs as unknown[]);
    if ((flags & FLAG_CHUNK) !== 0) {
      const spread = (flags & FLAG_SPREAD) !== 0;
      return ctx === undefined
        ? callChunk(fn, args, spread)
        : runWith(ctx, () => callChunk(fn, args, spread));
    }
    return ctx === undefined ? fn.apply(undefined, args) : runWith(ctx, () => fn.apply(undefined, args));
  };

  const afterTask = (startedAt: number): void => {
    // With nothing else to run, the pump flushes right after this task: no need to read the clock.
    if (out === null || ((cur === null || pos >= cur.length) && inboxHead >= inbox.length)) return;
    const now = performance.now();
    if (out.length >= flushCount || now - startedAt >= SLOW_TASK_MS || now - firstPendingAt >= FLUSH_MS) {
      flush();
    }
  };

  // Tasks run one after another, synchronously while they return plain values (no promise per task or
  // batch). A task that returns a promise, or whose target is not loaded yet, parks the pump; the handlers
  // below (created once, not per task) finish it and resume. Only one task is ever parked.
  let parked = false;
  let pAt = 0;
  let pStartedAt = 0;
  let pTarget = 0;
  let pFlags = 0;
  let pRaw: unknown;
  let pCtx: ContextSnapshot | undefined;

  const resume = (): void => {
    afterTask(pStartedAt);
    parked = false;
    pRaw = pCtx = undefined;
    pump();
  };
  const onAsyncOk = (value: unknown): void => {
    taskStartedAt = pStartedAt;
    pushOk(pAt, value);
    resume();
  };
  /**
   * Claims a slot for running (PENDING -> RUNNING); false when the core withdrew the task first. A task is
   * claimed only once its target is loaded, so a worker that dies while a module loads leaves the task
   * unstarted (it runs elsewhere). The start time is written before the slot turns RUNNING, so whoever sees
   * RUNNING sees this time.
   */
  const claim = (at: number, startedAt: number): boolean => {
    taskStartedAt = startedAt;
    if (starts !== null) starts[at] = origin + startedAt;
    return (
      states === null || Atomics.compareExchange(states, at, SLOT_PENDING, SLOT_RUNNING) === SLOT_PENDING
    );
  };
  const onAsyncError = (err: unknown): void => {
    taskStartedAt = pStartedAt;
    push(pAt, STATUS_ERROR, serializeError(err));
    resume();
  };
  /** The target of a parked, unclaimed task failed to load: the task fails with that error (if still ours). */
  const onLoadError = (err: unknown): void => {
    pStartedAt = performance.now();
    if (claim(pAt, pStartedAt)) push(pAt, STATUS_ERROR, serializeError(err));
    else push(pAt, STATUS_SKIPPED, undefined);
    resume();
  };
  const onLoaded = (fn: Fn): void => {
    fns[pTarget] = fn;
    parked = false;
    pStartedAt = performance.now();
    if (!claim(pAt, pStartedAt)) {
      push(pAt, STATUS_SKIPPED, undefined);
      pRaw = pCtx = undefined;
      pump();
      return;
    }
    if (execute(pAt, pStartedAt, fn, pFlags, pRaw, pCtx)) {
      pRaw = pCtx = undefined;
      pump();
    }
  };

  /** Runs one task; false when it parked (its result comes later). */
  const execute = (
    at: number,
    startedAt: number,
    fn: Fn,
    flags: number,
    rawArgs: unknown,
    ctx: ContextSnapshot | undefined,
  ): boolean => {
    let r: unknown;
    try {
      r = call(fn, flags, rawArgs, ctx);
    } catch (err) {
      push(at, STATUS_ERROR, serializeError(err));
      afterTask(startedAt);
      return true;
    }
    if (isThenable(r)) {
      flush();
      parked = true;
      pAt = at;
      pStartedAt = startedAt;
      try {
        r.then(onAsyncOk, onAsyncError);
      } catch (err) {
        onAsyncError(err);
      }
      return false;
    }
    pushOk(at, r);
    afterTask(startedAt);
    return true;
  };

  const pump = (): void => {
    if (parked || !ready) return;
    while (cur !== null) {
      const msg = cur;
      if (pos === 0) {
        slot = msg[0] as number;
        pos = 1;
      }
      if (pos >= msg.length) {
        pos = 0;
        if (inboxHead < inbox.length) {
          cur = inbox[inboxHead]!;
          inbox[inboxHead++] = undefined as unknown as unknown[];
        } else cur = null;
        continue;
      }
      const code = msg[pos] as number;
      if (code === DEFINE) {
        specs[msg[pos + 1] as number] = msg[pos + 2] as TargetSpec;
        pos += 3;
        continue;
      }
      const flags = code % CODE_SCALE;
      const target = (code - flags) / CODE_SCALE;
      const rawArgs = msg[pos + 1];
      let ctx: ContextSnapshot | undefined;
      if ((flags & FLAG_CONTEXT) !== 0) {
        ctx = msg[pos + 2] as ContextSnapshot;
        pos += 3;
      } else pos += 2;
      const at = slot;
      slot = slot + 1 === window ? 0 : slot + 1;
      // The core may stop this worker while the task runs: nothing finished may still be held here then.
      if ((flags & FLAG_STOPPABLE) !== 0) flush();
      const fn = fns[target];
      if (fn === undefined) {
        // Claimed once loaded (see claim).
        flush();
        parked = true;
        pAt = at;
        pTarget = target;
        pFlags = flags;
        pRaw = rawArgs;
        pCtx = ctx;
        loadTarget(specs[target]!).then(onLoaded as (fn: unknown) => void, onLoadError);
        return;
      }
      const startedAt = performance.now();
      if (!claim(at, startedAt)) {
        push(at, STATUS_SKIPPED, undefined);
        continue;
      }
      if (!execute(at, startedAt, fn, flags, rawArgs, ctx)) return;
    }
    if (inboxHead !== 0) {
      inbox.length = 0;
      inboxHead = 0;
    }
    flush();
  };

  endpoint.onExit?.(flush);
  endpoint.listen((message) => {
    if (cur === null) cur = message;
    else inbox.push(message);
    pump();
  });

  if (init.initializer !== null) {
    try {
      const fn = (await loadTarget(init.initializer)) as Fn;
      const args = init.initEncoded ? marshal.decode<unknown[]>(init.initArgs) : init.initArgs;
      const r = fn.apply(undefined, args);
      if (isThenable(r)) await r;
    } catch (err) {
      endpoint.post([MSG_INIT_FAILED, serializeError(err)]);
      return;
    }
  }
  ready = true;
  endpoint.post([MSG_READY]);
  pump();
}
