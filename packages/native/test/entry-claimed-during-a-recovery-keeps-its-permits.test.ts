import { once } from "node:events";
import { AbandonedLockError, marshal, Semaphore } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp, forkFixture, JITLESS, nextMessage } from "./fixtures/child.js";

// A Semaphore's holders table (permit-holders.ts) has 16 entries; a thread that first takes a permit while it
// is full frees the entries of dead threads that held nothing, and claims one. Meanwhile a waiter may be
// giving back dead threads' permits, with a list of the dead entries it made before: it must not take back
// an entry that was freed and claimed by the new thread since (that thread's permits would then be counted
// nowhere, and never come back when it dies).
// Each of TRIALS Semaphore(1)s has a full table: one entry of the recoverer, 15 of a killed process (one holds
// the permit). In each trial, as soon as the recoverer (without the JIT, so its recovery is slow) holds the
// table's RECOVERY word, a claimer process takes the permit for the first time, and keeps it. Then the claimer
// is SIGKILLed: every semaphore's permit must come back (AbandonedLockError), none may stay lost.

const TRIALS = 60;

describe("a process that first takes a permit while a waiter recovers dead holders' permits", () => {
  afterEach(cleanUp);

  it("has its permit given back when it is killed, every time", async () => {
    using shm = SharedMemory.create(Semaphore.byteLength * TRIALS + 4096);
    const placed = Array.from({ length: TRIALS }, () => shm.place(Semaphore));
    const sems = placed.map((p) => new Semaphore(1, p));
    const offsets = placed.map((p) => p.memory.byteOffset);
    const cells = shm.allocate(16);
    const msg = { shared: marshal.encode({ sems }), name: shm.name, cells, offsets };

    const recoverer = forkFixture("claim-during-recovery-child.mjs", [], JITLESS);
    recoverer.send({ ...msg, role: "enter" });
    await nextMessage(recoverer, "entered");
    const fill = forkFixture("claim-during-recovery-child.mjs");
    fill.send({ ...msg, role: "fill" });
    await nextMessage(fill, "held");
    let exited = once(fill, "exit");
    fill.kill("SIGKILL");
    await exited;

    const claimer = forkFixture("claim-during-recovery-child.mjs");
    claimer.send({ ...msg, role: "claim" });
    recoverer.send({ go: true });
    const { claimed } = await nextMessage<{ claimed: number[] }>(claimer, "claimed");
    expect(claimed, "trials where the claimer got no permit").toEqual([]);
    await once(recoverer, "exit");
    exited = once(claimer, "exit");
    claimer.kill("SIGKILL");
    await exited;

    const outcomes = await Promise.all(
      sems.map((sem) =>
        sem.acquire({ timeout: 2000 }).then(
          (g) => (g === false ? "lost" : "free"),
          (e: unknown) => {
            if (!(e instanceof AbandonedLockError)) throw e;
            e.guard?.release();
            return "given back";
          },
        ),
      ),
    );
    const wrong = outcomes.flatMap((o, i) => (o === "given back" ? [] : [`trial ${i + 1}: ${o}`]));
    expect(wrong, `${wrong.length} of ${TRIALS} trials`).toEqual([]);
  }, 30_000);
});
