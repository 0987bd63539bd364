import { once } from "node:events";
import { marshal, Semaphore } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory } from "../src/index.js";
import { cleanUp, forkFixture, JITLESS, nextMessage } from "./fixtures/child.js";

// A waiter that finds a dead process's permits gives them back after comparing what the permit holders table
// counts with the free permits (permit-holders.ts). Another process taking and releasing the other permit as
// fast as it can, between the waiter's reads, must not make it see that permit twice (the dead holder's
// permit then looks already back: lost for good) or not at all (one permit too many given back).
// One process takes a permit of each of TRIALS Semaphore(2)s and is SIGKILLed; then, one semaphore at a time,
// a second process cycles the free permit while a third calls tryAcquire until it is handed the dead holder's
// permit. The third runs without the JIT (--jitless): its reads of the table are then slow enough for the
// cycler to take and release between them, as they are for a waiter descheduled mid-read.

const TRIALS = 250;

describe("a dead holder's permit while another process takes and releases the other one", () => {
  afterEach(cleanUp);

  it("is given back exactly once, every time", async () => {
    using shm = SharedMemory.create(Semaphore.byteLength * TRIALS + 4096);
    const sems = Array.from({ length: TRIALS }, () => new Semaphore(2, shm.place(Semaphore)));
    const cells = shm.allocate(16);
    const msg = { shared: marshal.encode({ sems }), name: shm.name, cells };

    const holder = forkFixture("permit-cycler-child.mjs");
    holder.send({ ...msg, role: "hold" });
    await nextMessage(holder, "held");
    const exited = once(holder, "exit");
    holder.kill("SIGKILL");
    await exited;

    const cycler = forkFixture("permit-cycler-child.mjs");
    const recoverer = forkFixture("permit-cycler-child.mjs", [], JITLESS);
    cycler.send({ ...msg, role: "cycle" });
    recoverer.send({ ...msg, role: "recover", patienceMs: 5000 });
    const { trials, wrong } = await nextMessage<{ trials: number; wrong: string[] }>(recoverer, "wrong");
    expect(wrong, `${wrong.length} of ${trials} trials went wrong`).toEqual([]);
    expect(trials).toBe(TRIALS);
  }, 60_000);
});
