import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { AbandonedLockError, marshal, Semaphore } from "../src/index.js";
import { HOLDER_BUSY, HOLDER_COUNT, HOLDER_GEN, HOLDER_HELD } from "../src/permit-holders.js";

// A waiter that gives back a dead thread's Semaphore permits holds the holders table's RECOVERY word and moves
// the dead thread's entry CLAIMED -> RECLAIMING -> FREE (permit-holders.ts). Killed in between, it leaves the
// entry RECLAIMING and RECOVERY held by a dead thread. The next waiter must take RECOVERY over, finish that
// entry and give back the permit the dead waiter had not yet credited (exactly once), and later deaths must
// still be recovered. The dead waiter's state is written here as its death at each point leaves it: the
// threads are real (they claim their entries and take their permits), only its last steps are made up.

const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));
/** A worker that takes a permit of `sem` (and gives it back unless `keep`), then exits. */
const source = `
const { workerData } = require("node:worker_threads");
const { marshal } = require(${SYNC_CJS});
const { sem } = marshal.decode(workerData.shared);
const g = sem.acquireSync();
if (!workerData.keep) g.release();
`;

// The table's layout (permit-holders.ts; the table starts at word 8 of a Semaphore's state): RECOVERY, then
// entries of 4 words (state, HELD, a Float64 holder record), claimed in order.
const RECOVERY = 9;
const ENTRY0 = 10;
const ENTRY = 4;
const RECLAIMING = -1;

async function runToExit(shared: unknown, keep: boolean): Promise<number> {
  const w = watchWorker(new Worker(source, { eval: true, workerData: { shared, keep } }));
  const id = w.threadId;
  const [code] = (await new Promise((r) => w.once("exit", (...a) => r(a)))) as [number];
  if (code !== 0) throw new Error(`worker exited with ${code}`);
  return id;
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

const POINTS = [
  "right after marking the entry RECLAIMING",
  "after clearing the entry's count",
  "after clearing the entry's holder record",
] as const;

describe("a Semaphore whose recovering waiter died mid-reclaim", () => {
  it.each(POINTS.map((p, i) => [p, i] as const))(
    "gives the dead holder's permit back once, and recovers later deaths (killed %s)",
    async (_, point) => {
      const buffer = new SharedArrayBuffer(Semaphore.byteLength);
      const sem = new Semaphore(1, { memory: { buffer } });
      const i32 = new Int32Array(buffer);
      const f64 = new Float64Array(buffer);
      const shared = marshal.encode({ sem });
      // The waiter that will die: it took and gave back a permit (its entry, the first, counts none).
      const waiter = await runToExit(shared, false);
      // The holder: takes the only permit (the second entry) and exits.
      await runToExit(shared, true);
      const dead = ENTRY0 + ENTRY;
      expect((i32[dead + HOLDER_HELD]! & HOLDER_COUNT) >> 1).toBe(1);
      expect(sem.value).toBe(0);

      // The waiter died in recover(): RECOVERY held (its token), its own entry BUSY, the holder's entry
      // RECLAIMING, the permit not yet credited.
      i32[RECOVERY] = (waiter + 1) << 1;
      i32[ENTRY0 + HOLDER_HELD] = i32[ENTRY0 + HOLDER_HELD]! | HOLDER_BUSY;
      i32[dead] = RECLAIMING;
      if (point >= 1) {
        i32[dead + HOLDER_HELD] =
          ((i32[dead + HOLDER_HELD]! & ~(HOLDER_COUNT | HOLDER_BUSY)) + HOLDER_GEN) | 0;
      }
      if (point >= 2) f64[(dead + 2) >> 1] = 0;

      expect(take(sem)).toBe("abandoned");
      expect(sem.value).toBe(1);
      expect(take(sem)).toBe("free");
      expect(sem.value).toBe(1);

      // Recovery still works: another holder dies with the permit.
      await runToExit(shared, true);
      expect(sem.value).toBe(0);
      expect(take(sem)).toBe("abandoned");
      expect(sem.value).toBe(1);
    },
    15_000,
  );
});
