import { clearHolder, recordHolder, recordIsMine } from "./abandon.js";
import { recordDead } from "./liveness.js";

// Which threads hold a Semaphore's permits: a table of entries in its shared memory, one per thread that
// took a permit (claimed once per thread with a compare-exchange, kept while the thread lives):
//   word 0  state: FREE, CLAIMED, or RECLAIMING while a waiter takes a dead thread's entry back
//   word 1  the permits the thread holds
//   2-3     its holder record (a Float64 slot, abandon.ts)
// Only the entry's thread writes its count (plain stores: no atomic operation on the acquire path once the
// entry is claimed); a waiter that finds an entry's holder dead reclaims the entry and its permits.

/** @internal Threads at once whose permits a Semaphore tracks; permits of further threads are not recovered. */
export const HOLDER_ENTRIES = 16;
const ENTRY = 4;
const COUNT = 1;
/** @internal Int32 words of the table (its first word must be 8-byte aligned). */
export const HOLDER_TABLE_WORDS = HOLDER_ENTRIES * ENTRY;
const FREE = 0;
const CLAIMED = 1;
const RECLAIMING = -1;

/** @internal This thread's view of a permit holders table. */
export class HolderTable {
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #base: number;
  /** Word index of this thread's entry, or -1 while it has none. */
  #entry = -1;

  constructor(i32: Int32Array, f64: Float64Array, base: number) {
    this.#i32 = i32;
    this.#f64 = f64;
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
      if (Atomics.load(i32, e) !== CLAIMED || (emptyOnly && i32[e + COUNT] !== 0)) continue;
      if (!recordDead(this.#f64, (e >> 1) + 1)) continue;
      if (Atomics.compareExchange(i32, e, CLAIMED, RECLAIMING) !== CLAIMED) continue;
      permits += i32[e + COUNT]!;
      i32[e + COUNT] = 0;
      clearHolder(this.#f64, (e >> 1) + 1);
      Atomics.store(i32, e, FREE);
    }
    return permits;
  }

  #find(): number {
    const i32 = this.#i32;
    for (let e = this.#base; e < this.#base + HOLDER_TABLE_WORDS; e += ENTRY) {
      if (i32[e] === CLAIMED && recordIsMine(this.#f64, (e >> 1) + 1)) {
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
        if (Atomics.load(i32, e) !== FREE || Atomics.compareExchange(i32, e, FREE, CLAIMED) !== FREE)
          continue;
        recordHolder(this.#f64, (e >> 1) + 1);
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
