import { readFileSync } from "node:fs";
import { getEnvironmentData, setEnvironmentData, threadId } from "node:worker_threads";

// Whether the holder of a primitive is still alive. A holder is (pid, thread id, process start stamp):
// - another process: alive while `kill(pid, 0)` finds it, it is not a zombie, and its start time (from
//   /proc/<pid>/stat) is the one it recorded, so a reused pid is not taken for the dead holder;
// - a thread of this process: alive until weft marks its thread id exited (markThreadExited, called when a
//   Thread's or a pool's worker emits "exit"), in a table shared by every thread of the process.

/** Thread ids this table can mark (1 MiB of bits); a thread with a higher id is never seen dead. */
const TABLE_BITS = 8 * 1024 * 1024;
const TABLE_KEY = "@weft/sync:exited-threads";

function sharedTable(): Int32Array {
  const g = globalThis as { [k: symbol]: Int32Array | undefined };
  const key = Symbol.for(TABLE_KEY);
  const mine = g[key];
  if (mine !== undefined) return mine;
  // Workers get the table their parent set before starting them (environmentData is copied into every new
  // worker, and a SharedArrayBuffer in it stays shared).
  let buffer = getEnvironmentData(TABLE_KEY) as SharedArrayBuffer | undefined;
  if (!(buffer instanceof SharedArrayBuffer)) {
    buffer = new SharedArrayBuffer(TABLE_BITS / 8);
    setEnvironmentData(TABLE_KEY, buffer);
  }
  const table = new Int32Array(buffer);
  g[key] = table;
  return table;
}
const exited = sharedTable();

/**
 * Records that the worker thread `id` (its `worker.threadId`) of this process has ended: primitives it
 * still holds count as abandoned from now on, and Barrier parties it was are dead. weft's threads and pools
 * call it when their workers exit; call it for a `Worker` you create yourself
 * (`worker.once("exit", () => markThreadExited(id))`, with `id` read before it exits).
 *
 * @example
 * ```ts
 * import { markThreadExited } from "@weft/sync/extension";
 * const id = worker.threadId;
 * worker.once("exit", () => markThreadExited(id));
 * ```
 */
export function markThreadExited(id: number): void {
  if (!Number.isInteger(id) || id <= 0) {
    throw new RangeError(
      `markThreadExited: id must be a worker's threadId (an integer > 0), got ${String(id)}`,
    );
  }
  if (id < TABLE_BITS) Atomics.or(exited, id >>> 5, 1 << (id & 31));
}

/**
 * Marks `worker`'s thread exited when it emits "exit" (see {@link markThreadExited}). Returns the worker.
 *
 * @example
 * ```ts
 * import { watchWorker } from "@weft/sync/extension";
 * const worker = watchWorker(new Worker(url));
 * ```
 */
export function watchWorker<W extends { readonly threadId: number; once(e: "exit", f: () => void): unknown }>(
  worker: W,
): W {
  const id = worker.threadId;
  if (id > 0) worker.once("exit", () => markThreadExited(id));
  return worker;
}

/** @internal true once the thread `id` of this process was marked exited. */
export function threadExited(id: number): boolean {
  return id > 0 && id < TABLE_BITS && (Atomics.load(exited, id >>> 5) & (1 << (id & 31))) !== 0;
}

/** The state letter and start time (clock ticks after boot) of process `pid`, from /proc; undefined if gone. */
function procStat(pid: number | "self"): { state: string; start: number } | undefined | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? undefined : null;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", start: Number(fields[19]) };
}

/** A 31-bit stamp of a process's start time, never 0 (1 where /proc is missing: then only the pid counts). */
function stampOf(start: number): number {
  return Number.isFinite(start) ? (start % 0x7ffffffe) + 1 : 1;
}

const ME_PID = process.pid;
const ME_TID = threadId + 1;
const ME_START = stampOf(procStat("self")?.start ?? Number.NaN);

// A holder record is one Float64 slot (one store to write, one to clear): its low 32 bits hold the thread id
// + 1, its high 32 bits the pid (22 bits: Linux pids stay below 2^22, macOS ones below 10^5; other systems
// have no process-shared memory in weft) and 8 bits of the process start stamp.
// Bit 62 stays clear, so the value is never a NaN (which V8 could rewrite) and compares exactly.
const split = new Float64Array(1);
const halves = new Int32Array(split.buffer);
const PID_BITS = 0x3fffff;
const START_SHIFT = 22;
const START_MASK = 0xff;
function encode(pid: number, tid: number, start: number): number {
  halves[0] = tid;
  halves[1] = (pid & PID_BITS) | ((start & START_MASK) << START_SHIFT);
  return split[0]!;
}
/** @internal This thread's holder record (see above); 0 is "no holder". */
export const ME_RECORD = encode(ME_PID, ME_TID, ME_START);

// Verdicts about other processes, cached briefly: a tryAcquire spinning on a lock held by another process
// would otherwise read /proc on every try.
const CACHE_MS = 10;
const verdicts = new Map<number, { start: number; dead: boolean; at: number }>();

/** Whether /proc describes processes here (Linux); elsewhere only `kill(pid, 0)` tells a death. */
const HAVE_PROC = procStat("self") != null;
/** Whether start stamps are real (from /proc), so a different one means another process. */
const HAVE_PROC_START = HAVE_PROC;

/** false only when no process has this pid (ESRCH); EPERM means one exists. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

function processDead(pid: number, start: number): boolean {
  const now = performance.now();
  const cached = verdicts.get(pid);
  if (cached !== undefined && cached.start === start && now - cached.at < CACHE_MS) return cached.dead;
  let dead = !processExists(pid);
  if (!dead && HAVE_PROC) {
    const st = procStat(pid);
    // Gone between the two looks (ENOENT), a zombie (killed, not yet reaped: it holds nothing), or a
    // different start time (the pid was reused by another process). Unreadable (null): alive.
    if (st === undefined) dead = !processExists(pid);
    else if (st !== null) {
      dead =
        st.state === "Z" ||
        st.state === "X" ||
        (HAVE_PROC_START && (stampOf(st.start) & START_MASK) !== start);
    }
  }
  if (verdicts.size > 256) verdicts.clear();
  verdicts.set(pid, { start, dead, at: now });
  return dead;
}

/**
 * @internal true when the holder recorded as (pid, tid + 1, start stamp) is known to be dead. A record with
 * a zero half is incomplete (its holder is between taking the word and recording itself): never dead.
 * The calling thread itself is never dead, and neither is a thread of another live process (only the
 * process's own death is visible from outside it).
 */
function holderDead(pid: number, tid: number, start: number): boolean {
  if (pid <= 0 || tid === 0) return false; // (the 8-bit start stamp may be 0)
  if (pid === (ME_PID & PID_BITS)) {
    if (start !== (ME_START & START_MASK)) return true; // a previous process with this pid
    return tid !== ME_TID && threadExited(tid - 1);
  }
  return processDead(pid, start);
}

/**
 * @internal true when the holder recorded at f64[at] is known dead. A record read while its holder writes or
 * clears it can only mix that holder's halves with zeros (holders clear it before they release), and a
 * half that is zero makes it incomplete: never dead.
 */
export function recordDead(f64: Float64Array, at: number): boolean {
  split[0] = f64[at]!;
  const tid = halves[0]!;
  const hi = halves[1]!;
  return holderDead(hi & PID_BITS, tid, (hi >>> START_SHIFT) & START_MASK);
}

/** @internal How long a waiter sleeps at most before it checks whether the holder is still alive. */
export const LIVENESS_SLICE_MS = 40;
