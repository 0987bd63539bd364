import { clearHolder, recordIsMine } from "./abandon.js";
import { holderWordBlocking, NO_RECORD, releaseOwnWord } from "./holder-word.js";
import { ME_RECORD, recordComplete, recordDead, wordHolderDead } from "./liveness.js";
import type { SharedState } from "./memory.js";

// Which threads hold a Semaphore's permits: a table in its shared memory.
//   word 0       FLAGS: UNTRACKED (1) once a thread took a permit with no entry free (the table was full) or
//                beyond the HOLDER_MAX its entry counts,
//                SIGNALLED (2) once a thread released a permit it did not hold (a signal)
//   word 1       RECOVERY: a holder word (holder-word.ts) held while a waiter gives back dead threads' permits,
//                and while a thread that found the table full frees dead threads' idle entries: only its holder
//                takes entries back (claimed -> RECLAIMING -> FREE), so a list of dead entries made under it
//                stays true until it is released (no entry is freed and claimed by a live thread meanwhile)
//   then HOLDER_ENTRIES entries of 4 words, one per thread that took a permit (claimed once per thread with a
//   compare-exchange, kept while the thread lives):
//     +0  state: FREE (0); claimed: the claimer's holder word value (its token, `SharedState.me`, as a holder
//         word names its holder: liveness.ts), so the compare-exchange that claims the entry also names the
//         claimer, and a claimer killed right after it (before its record is written) is still judged by
//         its token; or RECLAIMING (-1) while RECOVERY's holder takes a dead thread's entry back (an entry
//         found RECLAIMING by the next holder was left by one that died holding RECOVERY: see recover).
//         (LEGACY_CLAIMED, 1, is what copies of weft before tokens wrote: judged by the record alone.)
//     +1  HELD  bit 0 (BUSY) set while the thread is between the atomic operation on the permits and its count
//               (either order); bits 1-15 the permits it holds (COUNT); bits 16-31 a generation (GEN) that
//               moves on whenever a busy window closes without raising the count (see #snapshot)
//     +2-3  its holder record (a Float64 slot, abandon.ts), written right after the claim, cleared before the
//           entry is freed: once complete it alone judges the claimer (full thread id, process start stamp;
//           the token only judges a claimer with no complete record), and it tells a thread its own entry
//           where tokens are shared (process-shared memory, liveness.ts)
// Only the entry's thread writes HELD (plain stores: no atomic operation on the acquire path once the entry
// is claimed; one store before the permits' atomic operation, one after). A thread killed at any instruction leaves either an exact count (BUSY 0), or
// BUSY 1 with at most its own take or release half done. A waiter that finds an entry's holder dead gives
// its counted permits back; what half-done updates of dead threads lost it finds by conservation: with
// every holder tracked and no live thread mid-update, the permits are the free ones plus the counted ones
// (read as they were at one instant, see #snapshot),
// so the initial value minus both is what dead threads took and never counted (or uncounted and never gave
// back). Permits released by a thread that held none (signals) only add to the free ones, so conservation
// can then only find too few, never too many: a permit may stay lost, none is ever given back twice.

/** @internal Threads at once whose permits a Semaphore tracks; permits of further threads are not recovered. */
export const HOLDER_ENTRIES = 16;
const FLAGS = 0;
const UNTRACKED = 1;
const SIGNALLED = 2;
const RECOVERY = 1;
const FIRST = 2;
const ENTRY = 4;
/** @internal Offset of an entry's HELD word (GEN << 16 | permits held << 1 | BUSY). */
export const HOLDER_HELD = 1;
/** @internal The BUSY bit of a HELD word. */
export const HOLDER_BUSY = 1;
/** @internal One permit in a HELD word's count. */
export const HOLDER_ONE = 2;
/** @internal The count bits of a HELD word (all set: HOLDER_MAX permits, the most it counts). */
export const HOLDER_COUNT = 0xfffe;
/** @internal One step of a HELD word's generation (its top 16 bits; adding it wraps within the Int32). */
export const HOLDER_GEN = 0x10000;
/** @internal The most permits one thread's entry counts; a thread holding more marks the table UNTRACKED. */
export const HOLDER_MAX = HOLDER_COUNT >> 1;
/**
 * How long #snapshot's two passes may take at most. Two equal reads of a HELD word prove it did not change in
 * between only if its generation cannot have wrapped: 65536 releases, each with an atomic operation on the
 * permits and a take between, do not fit in this time.
 */
const SNAPSHOT_MS = 0.2;
const REC_WORD = 2;
/** The Float64 slot of entry `e`'s holder record (entries start at even words). */
const recOf = (e: number): number => (e + REC_WORD) >> 1;
/** @internal Int32 words of the table (its first word must be 8-byte aligned). */
export const HOLDER_TABLE_WORDS = FIRST + HOLDER_ENTRIES * ENTRY;
const FREE = 0;
/** A claimed entry's state as weft before claimer tokens wrote it (then only the record names the claimer). */
const LEGACY_CLAIMED = 1;
const RECLAIMING = -1;

/** The free permits, and those live and dead threads' entries count. */
interface Counts {
  free: number;
  live: number;
  dead: number;
}

/**
 * @internal The HELD word `held` (BUSY clear) as a busy window that did not raise its count leaves it: GEN
 * moved on, so #snapshot sees that it changed.
 */
export const heldAfter = (held: number): number => (held + HOLDER_GEN) | 0;

/** @internal This thread's view of a permit holders table. */
export class HolderTable {
  readonly #st: SharedState;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #base: number;
  /** Word index of this thread's entry, or -1 while it has none. */
  #entry = -1;

  constructor(st: SharedState, base: number) {
    this.#st = st;
    this.#i32 = st.i32;
    this.#f64 = st.f64;
    this.#base = base;
  }

  /**
   * Word index of this thread's entry (claimed now if it has none), or -1 when the table is full of live
   * threads (then its permits are not tracked). Call it before the atomic operation on the permits.
   */
  entry(): number {
    const e = this.#entry;
    return e >= 0 ? e : this.#claim();
  }

  /** Word index of this thread's entry if it has one (claims none), else -1. */
  mine(): number {
    const e = this.#entry;
    return e >= 0 ? e : this.#find();
  }

  /**
   * Gives back to the free permits at word `permits` what threads known dead held (never above `initial`
   * free permits), keeping one for the caller, counted as its own: true when it did. Serialised by the
   * RECOVERY word. A waiter killed in here leaves its own entry BUSY, so the next one finds what it lost, and
   * may leave entries RECLAIMING: the next holder of RECOVERY (taken over from the dead one) finishes them as
   * dead threads' entries. Their permits were not given back yet (that comes after every entry is FREE): what
   * their HELD words still count is given back with the other dead counts, and what the dead waiter had
   * already cleared, conservation finds (its own entry is BUSY).
   */
  recover(permits: number, initial: number): boolean {
    const i32 = this.#i32;
    if (!this.#anyDead()) return false;
    const me = this.entry();
    const base = this.#base;
    if (Atomics.compareExchange(i32, base + RECOVERY, 0, this.#st.me) !== 0) {
      holderWordBlocking(this.#st, base + RECOVERY, NO_RECORD); // a dead recoverer's state is repaired below
    }
    const mine = me >= 0 ? i32[me + HOLDER_HELD]! : 0;
    if (me >= 0) i32[me + HOLDER_HELD] = mine | HOLDER_BUSY;
    let took = false;
    try {
      const dead: number[] = [];
      for (let e = base + FIRST; e < base + HOLDER_TABLE_WORDS; e += ENTRY) {
        if (this.#deadEntry(e)) dead.push(e);
      }
      if (dead.length === 0) return false;
      // The permits live threads count as theirs are not lost, whoever gave back the ones they took: after a
      // signal (a release for another thread) a dead thread's count may be stale, and only what the free and
      // the live counted permits leave of the initial value can be its. Untracked holders are not in that
      // sum: after a signal too, nothing bounds what is lost, so nothing is given back.
      const flags = Atomics.load(i32, base + FLAGS);
      if ((flags & UNTRACKED) !== 0 && (flags & SIGNALLED) !== 0) return false;
      const counts = this.#snapshot(permits, me, dead);
      if (counts === null) return false; // a live thread is mid-update: the next waiter's round tries again
      const bound = initial - counts.free - counts.live;
      let give = this.#lostByDead(counts, initial, flags, dead);
      for (const e of dead) {
        // (A dead thread's entry does not change under RECOVERY: claims only take FREE entries.)
        const state = Atomics.load(i32, e);
        if (state === FREE) continue;
        if (state !== RECLAIMING && Atomics.compareExchange(i32, e, state, RECLAIMING) !== state) continue;
        const held = i32[e + HOLDER_HELD]!;
        give += (held & HOLDER_COUNT) >> 1;
        i32[e + HOLDER_HELD] = ((held & ~(HOLDER_COUNT | HOLDER_BUSY)) + HOLDER_GEN) | 0; // none held, GEN moved on
        clearHolder(this.#f64, recOf(e));
        Atomics.store(i32, e, FREE);
      }
      if (give > bound) give = bound;
      let c = Atomics.load(i32, permits);
      for (;;) {
        const credit = Math.min(give, initial - c);
        if (credit <= 0) return false; // permits taken as signals (released by someone else): nothing held
        const seen = Atomics.compareExchange(i32, permits, c, c + credit - 1);
        if (seen === c) break;
        c = seen;
      }
      took = true;
      return true;
    } finally {
      if (me >= 0) i32[me + HOLDER_HELD] = took ? this.heldAfterTake(mine) : heldAfter(mine);
      releaseOwnWord(this.#st, base + RECOVERY);
    }
  }

  /**
   * What dead threads' half-done updates took from the permits (see the top of this file): 0 unless every
   * holder was always tracked and a dead one was mid-update; else what the free and every counted permit
   * (`counts`, see #snapshot) leave of the initial value.
   */
  #lostByDead(counts: Counts, initial: number, flags: number, dead: number[]): number {
    if ((flags & UNTRACKED) !== 0) return 0;
    const i32 = this.#i32;
    if (!dead.some((e) => (Atomics.load(i32, e + HOLDER_HELD) & HOLDER_BUSY) !== 0)) return 0;
    return Math.max(0, initial - counts.free - counts.live - counts.dead);
  }

  /**
   * The free permits and the permits live threads (the caller included) and the `dead` ones count, as they
   * all were at one instant; null when no such reads were had (a live thread mid-update, or no quiet moment).
   *
   * The free permits and the entries are read one after the other, so a take or release by another thread in
   * between counts its permit twice or not at all. Two equal passes over the entries, the free permits read
   * between them, do give one instant's state: every HELD word read equal before and after that read kept
   * its value in between, as none ever comes back to a value (a take raises its count; every other close of
   * a busy window, and a reclaim, moves its GEN on). Equal counts alone did not prove it: a thread that took,
   * released and took again between the reads looked unchanged, a permit was counted twice, and the dead
   * holder's was never given back. FREE entries are compared too (one claimed, used and reclaimed meanwhile
   * has moved its GEN on). GEN has 16 bits: passes slower than SNAPSHOT_MS (a descheduled waiter) are not used.
   */
  #snapshot(permits: number, me: number, dead: number[]): Counts | null {
    const i32 = this.#i32;
    const first = this.#base + FIRST;
    const end = this.#base + HOLDER_TABLE_WORDS;
    const read = (): number[] | null => {
      const seen: number[] = [];
      for (let e = first; e < end; e += ENTRY) {
        const state = Atomics.load(i32, e); // (RECLAIMING: a dead waiter's, in `dead`)
        const held = Atomics.load(i32, e + HOLDER_HELD);
        // A live thread mid-update (a FREE entry is never BUSY):
        if ((held & HOLDER_BUSY) !== 0 && e !== me && !dead.includes(e)) return null;
        seen.push(state, held);
      }
      return seen;
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const start = performance.now();
      const a = read();
      const free = Atomics.load(i32, permits);
      const b = read();
      if (a === null || b === null || a.some((v, i) => v !== b[i])) continue;
      if (performance.now() - start > SNAPSHOT_MS) continue; // GEN might have wrapped
      const counts: Counts = { free, live: 0, dead: 0 };
      for (let i = 0, e = first; e < end; i += 2, e += ENTRY) {
        if (a[i] === FREE) continue;
        const n = (a[i + 1]! & HOLDER_COUNT) >> 1;
        if (dead.includes(e)) counts.dead += n;
        else counts.live += n;
      }
      return counts;
    }
    return null;
  }

  /**
   * The HELD word `held` (BUSY clear) after a take, the count raised, or at HOLDER_MAX left as it is with
   * GEN moved on: that permit is not counted, so the table is marked UNTRACKED (see FLAGS).
   */
  heldAfterTake(held: number): number {
    if ((held & HOLDER_COUNT) !== HOLDER_COUNT) return held + HOLDER_ONE;
    const i32 = this.#i32;
    if ((i32[this.#base + FLAGS]! & UNTRACKED) === 0) Atomics.or(i32, this.#base + FLAGS, UNTRACKED);
    return heldAfter(held);
  }

  /** Notes a release of a permit the releasing thread did not hold (see FLAGS). */
  noteSignal(): void {
    const i32 = this.#i32;
    if ((i32[this.#base + FLAGS]! & SIGNALLED) === 0) Atomics.or(i32, this.#base + FLAGS, SIGNALLED);
  }

  /** Whether some claimed entry's holder is known dead, or an entry was left RECLAIMING (no lock taken). */
  #anyDead(): boolean {
    for (let e = this.#base + FIRST; e < this.#base + HOLDER_TABLE_WORDS; e += ENTRY) {
      if (this.#deadEntry(e)) return true;
    }
    return false;
  }

  /**
   * Whether entry `e` is a dead thread's: claimed by a thread known dead, or RECLAIMING. Under RECOVERY, an
   * entry RECLAIMING was left so by a holder of RECOVERY that died (only its holder reclaims).
   * A claimed entry's complete record decides (as it always did); without one (the claimer is between its
   * claim and its record, or was killed there), the token in its state does, and a live claimer's token is
   * its own, so it is never taken for dead (a record half written reads as incomplete: the token decides).
   */
  #deadEntry(e: number): boolean {
    const state = Atomics.load(this.#i32, e);
    if (state === FREE) return false;
    if (state === RECLAIMING) return true;
    const rec = recOf(e);
    if (recordComplete(this.#f64, rec)) return recordDead(this.#f64, rec);
    return state !== LEGACY_CLAIMED && wordHolderDead(state, this.#f64, NO_RECORD, this.#st.processShared);
  }

  #find(): number {
    const i32 = this.#i32;
    const me = this.#st.me;
    for (let e = this.#base + FIRST; e < this.#base + HOLDER_TABLE_WORDS; e += ENTRY) {
      const state = i32[e];
      if ((state === me || state === LEGACY_CLAIMED) && recordIsMine(this.#f64, recOf(e))) {
        this.#entry = e;
        return e;
      }
    }
    return -1;
  }

  #claim(): number {
    const found = this.#find();
    if (found >= 0) return found;
    const i32 = this.#i32;
    const me = this.#st.me;
    for (let round = 0; round < 2; round++) {
      for (let e = this.#base + FIRST; e < this.#base + HOLDER_TABLE_WORDS; e += ENTRY) {
        // One compare-exchange claims the entry and names this thread (see the top of this file).
        if (Atomics.load(i32, e) !== FREE || Atomics.compareExchange(i32, e, FREE, me) !== FREE) continue;
        this.#f64[recOf(e)] = ME_RECORD;
        this.#entry = e;
        return e;
      }
      // Full: entries of dead threads that held nothing and were not mid-update free up (the others wait for
      // a waiter's recover(), which gives their permits back).
      this.#reclaimDeadIdle();
    }
    Atomics.or(i32, this.#base + FLAGS, UNTRACKED);
    return -1;
  }

  /**
   * Frees the entries of dead threads that held nothing and were not mid-update, under RECOVERY: a waiter
   * giving back dead threads' permits then never finds an entry of its list freed, and claimed by a live
   * thread, before it takes it back. (RECOVERY is taken only when there is such an entry; a recovery
   * under way is waited for, as a waiter's recover waits: it is short.)
   */
  #reclaimDeadIdle(): void {
    const first = this.#base + FIRST;
    const end = this.#base + HOLDER_TABLE_WORDS;
    let e = first;
    while (e < end && !this.#deadIdle(e)) e += ENTRY;
    if (e === end) return; // (a look without RECOVERY: only one under it frees)
    const i32 = this.#i32;
    const word = this.#base + RECOVERY;
    if (Atomics.compareExchange(i32, word, 0, this.#st.me) !== 0) {
      holderWordBlocking(this.#st, word, NO_RECORD); // what a dead holder left, a waiter's recover() repairs
    }
    try {
      for (e = first; e < end; e += ENTRY) {
        if (!this.#deadIdle(e)) continue; // (a dead thread's entry does not change under RECOVERY)
        Atomics.store(i32, e, RECLAIMING);
        clearHolder(this.#f64, recOf(e));
        Atomics.store(i32, e, FREE);
      }
    } finally {
      releaseOwnWord(this.#st, word);
    }
  }

  /** Whether entry `e` is a dead thread's (see #deadEntry) that counts no permit and is not mid-update. */
  #deadIdle(e: number): boolean {
    const idle = (this.#i32[e + HOLDER_HELD]! & (HOLDER_COUNT | HOLDER_BUSY)) === 0; // (whatever its GEN)
    return idle && this.#deadEntry(e);
  }
}
