import { once } from "node:events";
import { AbandonedLockError, marshal, Semaphore } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp, forkFixture, nextMessage } from "./fixtures/child.js";

// A thread's first permit claims it an entry in the Semaphore's holders table (permit-holders.ts, 16 entries):
// one compare-exchange on the entry's state word, then the store of its holder record. A process SIGKILLed
// between the two leaves the entry claimed with no record. Such entries must still be seen as a dead
// process's: once 16 of them filled the table, it used to stay full for ever, and a permit that a later
// holder died with never came back. Here one process's 16 threads each really claim an entry, then clear
// their own record (as a kill between the claim and the record leaves it), and that process is SIGKILLed.

const ENTRIES = 16;
// The table starts at word 8 of a Semaphore's state: FLAGS, RECOVERY, then entries of 4 words (state, HELD,
// a Float64 holder record at +2).
const ENTRY0 = 10;
const ENTRY = 4;

async function killed(role: "claim" | "hold", msg: object, says: string): Promise<void> {
  const child = forkFixture("mid-claim-child.mjs");
  child.send({ ...msg, role });
  await nextMessage(child, says);
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

/** acquire's outcome: "abandoned" (a dead holder's permit, given back), "free" or "timed out". */
async function take(sem: Semaphore): Promise<string> {
  try {
    const g = await sem.acquire({ timeout: 2000 });
    if (g === false) return "timed out";
    g.release();
    return "free";
  } catch (e) {
    if (!(e instanceof AbandonedLockError)) throw e;
    e.guard?.release();
    return "abandoned";
  }
}

describe("a Semaphore whose holders table filled with processes killed mid-claim", () => {
  afterEach(cleanUp);

  it("reuses their entries: a later holder's permit still comes back when it is killed", async () => {
    using shm = SharedMemory.create(Semaphore.byteLength + 4096);
    const placed = shm.place(Semaphore);
    const sem = new Semaphore(1, placed);
    const base = placed.memory.byteOffset / 8;
    const slots = Array.from({ length: ENTRIES }, (_, k) => base + ((ENTRY0 + ENTRY * k + 2) >> 1));
    const msg = { shared: marshal.encode({ sem }), name: shm.name, slots };
    const i32 = new Int32Array(shm.buffer, placed.memory.byteOffset, Semaphore.byteLength / 4);
    const f64 = new Float64Array(shm.buffer);

    await killed("claim", msg, "claimed");
    for (let k = 0; k < ENTRIES; k++) {
      expect(i32[ENTRY0 + ENTRY * k], `entry ${k}`).not.toBe(0);
      expect(f64[slots[k]!], `entry ${k}`).toBe(0);
    }
    expect(sem.value).toBe(1);

    await killed("hold", msg, "held");
    expect(sem.value).toBe(0);
    expect(await take(sem)).toBe("abandoned");
    expect(sem.value).toBe(1);
    expect(await take(sem)).toBe("free");

    await killed("hold", msg, "held");
    expect(await take(sem)).toBe("abandoned");
    expect(sem.value).toBe(1);
  }, 30_000);
});
