import { readFileSync } from "node:fs";
import { getEnvironmentData, setEnvironmentData, threadId } from "node:worker_threads";

// Whether the holder of a primitive is still alive. A holder is (pid, thread id, process start stamp):
// - another process: alive while `kill(pid, 0)` finds it, it is not a zombie, and its start time (from
//   /proc/<pid>/stat) is the one it recorded, so a reused pid is not taken for the dead holder;
// - a thread of this process: alive until weft marks its thread id exited (markThreadExited, called when a
//   Thread's or a pool's worker emits "exit"), in a table shared by every thread of the process. Marking a
//   thread exited marks the threads it started, at any depth, too: Node stops a worker's own workers (and
//   waits for them) before the worker ends, but their "exit" events were due on event loops that are gone.

/** Thread ids these tables can mark (1 MiB of bits each); a thread with a higher id is never seen dead. */
const TABLE_BITS = 8 * 1024 * 1024;

/**
 * A table of `words` Int32 words shared by every thread of the process (and every copy of this module in it).
 * Workers get the table their parent set before starting them (environmentData is copied into every new
 * worker, and a SharedArrayBuffer in it stays shared).
 */
function sharedTable(name: string, words: number): Int32Array {
  const g = globalThis as { [k: symbol]: Int32Array | undefined };
  const key = Symbol.for(name);
  const mine = g[key];
  if (mine !== undefined) return mine;
  let buffer = getEnvironmentData(name) as SharedArrayBuffer | undefined;
  if (!(buffer instanceof SharedArrayBuffer)) {
    buffer = new SharedArrayBuffer(4 * words);
    setEnvironmentData(name, buffer);
  }
  const table = new Int32Array(buffer);
  g[key] = table;
  return table;
}
/** Thread ids weft saw exit (markThreadExited). */
const exited = sharedTable("@weft/sync:exited-threads", TABLE_BITS / 32);
/** Thread ids that loaded this module (only they can hold a primitive); the word after the bits: the highest. */
const started = sharedTable("@weft/sync:started-threads", TABLE_BITS / 32 + 1);
const HIGHEST_STARTED = TABLE_BITS / 32;
if (threadId < TABLE_BITS) {
  Atomics.or(started, threadId >>> 5, 1 << (threadId & 31));
  for (let h = Atomics.load(started, HIGHEST_STARTED); h < threadId; ) {
    const seen = Atomics.compareExchange(started, HIGHEST_STARTED, h, threadId);
    if (seen === h) break;
    h = seen;
  }
}

/**
 * Thread ids whose creator is recorded (4 MiB); a thread with a higher id, or created by one, is not marked
 * exited with its creator.
 */
const LINEAGE_IDS = 1 << 20;
/**
 * By thread id: an ancestor's id + 1 in the low 30 bits (0: none known), and HAS_CHILDREN once a thread it
 * started has loaded this module. The ancestor is the nearest one that had loaded this module when it started
 * the thread (environmentData is copied into a worker when it is created): its creator, or above.
 */
const lineage = sharedTable("@weft/sync:thread-lineage", LINEAGE_IDS);
const HAS_CHILDREN = 1 << 30;
const ANCESTOR_MASK = HAS_CHILDREN - 1;
const CREATOR = "@weft/sync:creator-thread";
{
  const creator = getEnvironmentData(CREATOR);
  if (
    typeof creator === "number" &&
    creator !== threadId &&
    threadId < LINEAGE_IDS &&
    creator < LINEAGE_IDS
  ) {
    Atomics.or(lineage, threadId, creator + 1);
    Atomics.or(lineage, creator, HAS_CHILDREN);
  }
  setEnvironmentData(CREATOR, threadId); // for the workers this thread starts from now on
}

/** Marks every thread started below `id` (at any depth) exited: they ended with it. */
function markDescendantsExited(id: number): void {
  if (id >= LINEAGE_IDS || (Atomics.load(lineage, id) & HAS_CHILDREN) === 0) return;
  const last = Math.min(Atomics.load(started, HIGHEST_STARTED), LINEAGE_IDS - 1);
  // A thread's id is above its ancestors' (ids count up as workers are created), so one pass in id order
  // reaches grandchildren after their parents.
  for (let x = id + 1; x <= last; x++) {
    const ancestor = (Atomics.load(lineage, x) & ANCESTOR_MASK) - 1;
    if (ancestor > 0 && threadExited(ancestor)) Atomics.or(exited, x >>> 5, 1 << (x & 31));
  }
}

/**
 * Records that the worker thread `id` (its `worker.threadId`) of this process has ended, and with it every
 * thread it started (at any depth; Node stops a worker's workers before the worker ends): primitives they
 * still hold count as abandoned from now on, and Barrier parties they were are dead. weft's threads and pools
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
  markDescendantsExited(id);
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
const [ME_START, HAVE_PROC] = processStart();

/**
 * This process's start stamp, and whether /proc describes processes here (Linux; elsewhere only `kill(pid, 0)`
 * tells a death), read from /proc once per process: a worker takes what the thread that started it read
 * (environmentData, as the tables above), so every thread records the same stamp. (Under qemu-user,
 * /proc/self/stat gives each thread its own start time: a worker's own read made a live holder of another
 * thread look like a previous process with this pid.)
 */
function processStart(): readonly [stamp: number, haveProc: boolean] {
  const name = "@weft/sync:process-start";
  const known = getEnvironmentData(name) as readonly [number, number, boolean] | undefined;
  if (Array.isArray(known) && known[0] === process.pid && typeof known[1] === "number") {
    return [known[1], known[2] === true];
  }
  const own = procStat("self");
  const stamp = stampOf(own?.start ?? Number.NaN);
  setEnvironmentData(name, [process.pid, stamp, own != null]);
  return [stamp, own != null];
}

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
        (HAVE_PROC_START && start >= 0 && (stampOf(st.start) & START_MASK) !== start);
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

/**
 * @internal Whether the record at f64[at] is complete (no zero half): then recordDead judges its holder. An
 * incomplete one is being written or cleared, or its writer was killed before writing it.
 */
export function recordComplete(f64: Float64Array, at: number): boolean {
  split[0] = f64[at]!;
  return halves[0] !== 0 && (halves[1]! & PID_BITS) !== 0;
}

// A holder word (holder-word.ts) names its holder in the word itself, so that taking the word and naming the
// taker are one atomic step: a holder that dies right after the take is still named. The word is a 30-bit
// token shifted left by one (bit 0: "maybe waited on"), 0 when free. Two token formats, chosen per memory:
// - memory of this process only (a plain SharedArrayBuffer): the thread id + 1. Exact: thread ids are never
//   reused within a process, so a token names one thread forever.
// - memory other processes may map (a memory provider's): the pid (22 bits) and the thread id's low 8 bits.
//   The holder record, written right after the take, gives the full thread id and the process start stamp;
//   until then (or if the holder died before writing it), the token alone decides. Threads of one process
//   whose ids are equal in their low 8 bits share a token (see wordHolderDead).
const TOKEN_TID_BITS = 8;
const TOKEN_TID_MASK = (1 << TOKEN_TID_BITS) - 1;
/** @internal This thread's value of a holder word it holds, in memory of this process only. Never 0. */
export const ME_WORD_LOCAL = ((threadId + 1) & 0x3fffffff) << 1;
/** @internal This thread's value of a holder word it holds, in memory other processes may map. Never 0. */
export const ME_WORD_SHARED =
  ((((ME_PID & PID_BITS) << TOKEN_TID_BITS) | (threadId & TOKEN_TID_MASK)) << 1) | 0;

/** Whether no thread of this process that could hold a word (one that loaded weft) with these low bits lives. */
function noLiveThreadWithLowBits(low: number): boolean {
  const highest = Atomics.load(started, HIGHEST_STARTED);
  for (let id = low; id <= highest; id += TOKEN_TID_MASK + 1) {
    const bit = 1 << (id & 31);
    if ((Atomics.load(started, id >>> 5) & bit) !== 0 && (Atomics.load(exited, id >>> 5) & bit) === 0) {
      return false; // alive (this thread included)
    }
  }
  return true;
}

/**
 * @internal true when the holder named by the holder word `word` (nonzero) is known dead. In memory of this
 * process only (not `processShared`), the token is the thread: dead once marked exited. Else its record at
 * f64[at] (if `at` >= 0) decides when it is complete and names the same token (a record is only ever its word's current
 * holder's: holders write it after the take and clear it before the release, and a waiter that takes over
 * clears it before its take). Without one, a holder of another process is dead when that process is; one of
 * this process when every thread with its token's low id bits that loaded weft has exited.
 */
export function wordHolderDead(word: number, f64: Float64Array, at: number, processShared: boolean): boolean {
  const token = word >>> 1;
  if (!processShared) return token - 1 !== threadId && threadExited(token - 1);
  const pid = token >>> TOKEN_TID_BITS;
  const low = token & TOKEN_TID_MASK;
  if (at >= 0) {
    split[0] = f64[at]!;
    const tid = halves[0]!;
    const hi = halves[1]!;
    if (tid !== 0 && (hi & PID_BITS) === pid && ((tid - 1) & TOKEN_TID_MASK) === low) {
      return holderDead(pid, tid, (hi >>> START_SHIFT) & START_MASK);
    }
  }
  if (pid <= 0) return false;
  if (pid === (ME_PID & PID_BITS)) return noLiveThreadWithLowBits(low);
  return processDead(pid, -1);
}

/** @internal How long a waiter sleeps at most before it checks whether the holder is still alive. */
export const LIVENESS_SLICE_MS = 40;
