import { recordHolder } from "./abandon.js";
import { ME_PID, ME_START, ME_TID, recordDead } from "./liveness.js";

// Which threads hold a Semaphore's permits: a table of entries in its shared memory, one per thread that
// took a permit (claimed once per thread with a compare-exchange, kept while the thread lives):
//   pid, thread id + 1, process start stamp (a holder record, abandon.ts), then the permits it holds.
// Only the entry's thread writes its count (plain stores: no atomic operation on the acquire path once the
// entry is claimed); a waiter that finds an entry's holder dead reclaims the entry and its permits.

/** @internal Threads at once whose permits a Semaphore tracks; permits of further threads are not recovered. */
export const HOLDER_ENTRIES = 16;
const ENTRY = 4;
const COUNT = 3;
/** @internal Int32 words of the table. */
export const HOLDER_TABLE_WORDS = HOLDER_ENTRIES * ENTRY;
/** The pid word of an entry being reclaimed. */
const RECLAIMING = -1;

/** @internal This thread's view of a permit holders table. */
export class HolderTable {
  readonly #i32: Int32Array;
  readonly #base: number;
  /** Index of this thread's entry, or -1 while it has none. */
  #entry = -1;

  constructor(i32: Int32Array, base: number) {
    this.#i32 = i32;
    this.#base = base;
  }

  /** This thread took `n` permits. */
  took(n: number): void {
    let e = this.#entry;
    if (e < 0) {
      e = this.#claim();
      if (e < 0) return; // the table is full of live threads: not tracked
    }
    this.#i32[e + COUNT]! += n;
  }

  /** This thread gave `n` permits back (beyond what it holds, the release is a signal: counted nowhere). */
  gave(n: number): void {
    let e = this.#entry;
    if (e < 0) {
      e = this.#find();
      if (e < 0) return;
    }
    const i32 = this.#i32;
    const c = i32[e + COUNT]!;
    if (c > 0) i32[e + COUNT] = c > n ? c - n : 0;
  }

  /** Reclaims the entries of dead threads (with `emptyOnly`, of those that held none): the permits they held. */
  reclaimDead(emptyOnly = false): number {
    const i32 = this.#i32;
    let permits = 0;
    for (let e = this.#base; e < this.#base + HOLDER_TABLE_WORDS; e += ENTRY) {
      const pid = Atomics.load(i32, e);
      if (pid <= 0 || (emptyOnly && i32[e + COUNT] !== 0) || !recordDead(i32, e)) continue;
      if (Atomics.compareExchange(i32, e, pid, RECLAIMING) !== pid) continue;
      permits += i32[e + COUNT]!;
      i32[e + COUNT] = 0;
      i32[e + 1] = 0;
      i32[e + 2] = 0;
      Atomics.store(i32, e, 0);
    }
    return permits;
  }

  #find(): number {
    const i32 = this.#i32;
    for (let e = this.#base; e < this.#base + HOLDER_TABLE_WORDS; e += ENTRY) {
      if (i32[e] === ME_PID && i32[e + 1] === ME_TID && i32[e + 2] === ME_START) {
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
    for (let round = 0; round < 2; round++) {
      for (let e = this.#base; e < this.#base + HOLDER_TABLE_WORDS; e += ENTRY) {
        if (Atomics.load(i32, e) !== 0 || Atomics.compareExchange(i32, e, 0, ME_PID) !== 0) continue;
        recordHolder(i32, e);
        this.#entry = e;
        return e;
      }
      // Full: entries of dead threads that held nothing free up (those holding permits wait for a waiter,
      // which gives their permits back).
      this.reclaimDead(true);
    }
    return -1;
  }
}
