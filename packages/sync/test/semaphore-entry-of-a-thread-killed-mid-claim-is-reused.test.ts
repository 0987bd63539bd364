import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { AbandonedLockError, marshal, Semaphore } from "../src/index.js";
import { HOLDER_ENTRIES } from "../src/permit-holders.js";

// A thread's first permit claims it an entry in the Semaphore's holders table (permit-holders.ts): one
// compare-exchange on the entry's state word, then the store of its holder record. A thread killed between
// the two (a terminated worker, a SIGKILLed process) leaves the entry claimed with no record. Such an entry
// must still be seen as a dead thread's: after HOLDER_ENTRIES such deaths, the table used to be full for
// ever, later holders went untracked, and a permit that one of them died holding never came back.
// Each dying thread here really claims its entry (it takes and gives back a permit), then clears its own
// record and exits: the memory is left as a death between the claim and the record leaves it.

const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));
// The table starts at word 8 of a Semaphore's state: FLAGS, RECOVERY, then entries of 4 words (state, HELD,
// a Float64 holder record at +2).
const ENTRY0 = 10;
const ENTRY = 4;
const recordSlot = (k: number): number => (ENTRY0 + ENTRY * k + 2) >> 1;

/**
 * A worker that claims an entry (takes a permit, and gives it back unless `keep`); with `unrecord`, it then
 * clears its own holder record (the only one set: the other dead threads' are cleared). Then it exits.
 */
const source = `
const { workerData } = require("node:worker_threads");
const { marshal } = require(${SYNC_CJS});
const { sem, buffer } = marshal.decode(workerData.shared);
const g = sem.acquireSync();
if (!workerData.keep) g.release();
if (workerData.unrecord) {
  const f64 = new Float64Array(buffer);
  const set = workerData.slots.filter((s) => f64[s] !== 0);
  if (set.length !== 1) throw new Error("expected one holder record, found " + set.length);
  f64[set[0]] = 0;
}
`;

async function runToExit(shared: unknown, keep: boolean, unrecord: boolean): Promise<void> {
  const slots = Array.from({ length: HOLDER_ENTRIES }, (_, k) => recordSlot(k));
  const w = watchWorker(new Worker(source, { eval: true, workerData: { shared, keep, unrecord, slots } }));
  const [code] = (await new Promise((r) => w.once("exit", (...a) => r(a)))) as [number];
  if (code !== 0) throw new Error(`worker exited with ${code}`);
}

/** acquireSync's outcome: "abandoned" (a dead holder's permit, given back), "free" or "timed out". */
function take(sem: Semaphore): "abandoned" | "free" | "timed out" {
  try {
    const g = sem.acquireSync({ timeout: 1500 });
    if (g === false) return "timed out";
    g.release();
    return "free";
  } catch (e) {
    if (!(e instanceof AbandonedLockError)) throw e;
    e.guard?.release();
    return "abandoned";
  }
}

describe("a Semaphore whose holders table filled with threads killed mid-claim", () => {
  it("reuses their entries: a later holder's permit still comes back when it dies", async () => {
    const buffer = new SharedArrayBuffer(Semaphore.byteLength);
    const sem = new Semaphore(1, { memory: { buffer } });
    const i32 = new Int32Array(buffer);
    const f64 = new Float64Array(buffer);
    const shared = marshal.encode({ sem, buffer });
    for (let k = 0; k < HOLDER_ENTRIES; k++) await runToExit(shared, false, true);
    // Every entry claimed, none recorded.
    for (let k = 0; k < HOLDER_ENTRIES; k++) {
      expect(i32[ENTRY0 + ENTRY * k], `entry ${k}`).not.toBe(0);
      expect(f64[recordSlot(k)], `entry ${k}`).toBe(0);
    }
    expect(sem.value).toBe(1);

    // A holder that dies with the only permit: the waiter must get it back.
    await runToExit(shared, true, false);
    expect(sem.value).toBe(0);
    expect(take(sem)).toBe("abandoned");
    expect(sem.value).toBe(1);
    expect(take(sem)).toBe("free");

    // And again, with more of the table in use (this thread has an entry now).
    await runToExit(shared, true, false);
    expect(take(sem)).toBe("abandoned");
    expect(sem.value).toBe(1);
  }, 20_000);

  // Copies of weft before claimer tokens marked a claimed entry 1 and named the claimer in its record only;
  // another copy in the process (or a process running one) may share the memory.
  it("still frees the entries of dead threads that an older copy of weft claimed (state 1, a record)", async () => {
    const buffer = new SharedArrayBuffer(Semaphore.byteLength);
    const sem = new Semaphore(1, { memory: { buffer } });
    const i32 = new Int32Array(buffer);
    const shared = marshal.encode({ sem, buffer });
    for (let k = 0; k < HOLDER_ENTRIES; k++) {
      await runToExit(shared, false, false);
      i32[ENTRY0 + ENTRY * k] = 1; // as the older copy's claim left it
    }
    await runToExit(shared, true, false);
    expect(take(sem)).toBe("abandoned");
    expect(sem.value).toBe(1);
  }, 20_000);
});
