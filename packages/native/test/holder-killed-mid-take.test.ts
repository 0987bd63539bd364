import { once } from "node:events";
import { Lock, marshal, RLock, Semaphore } from "@weft/sync";
import { afterEach, describe, expect, it } from "vitest";
import { acquireAfterDeath, afterDeath } from "../../sync/test/support/acquire-after-death.js";
import { SharedMemory } from "../src/index.js";
import { cleanUp, forkFixture, nextMessage } from "./fixtures/child.js";

// A process SIGKILLed at an arbitrary instruction of a tight acquire/release loop on a lock in shared memory
// (inside the take, right after it, inside the release...) must never leave the lock held with nobody to
// blame: once it has exited, the next acquirer gets the lock, free or told it was abandoned (a Semaphore(1)'s
// permit comes back exactly once).

const TRIALS = 12;

describe("a holder process killed anywhere in its take or release", () => {
  afterEach(cleanUp);

  const place = {
    Lock: (shm: SharedMemory) => new Lock(shm.place(Lock)),
    RLock: (shm: SharedMemory) => new RLock(shm.place(RLock)),
    Semaphore: (shm: SharedMemory) => new Semaphore(1, shm.place(Semaphore)),
  };
  for (const kind of ["Lock", "RLock", "Semaphore"] as const) {
    it(`${kind}: the lock is never left held by nobody`, async () => {
      const outcomes = afterDeath();
      for (let i = 0; i < TRIALS; i++) {
        using shm = SharedMemory.create(4096);
        const lock = place[kind](shm);
        const child = forkFixture("lock-loop-child.mjs");
        child.send({ shared: marshal.encode({ lock }) });
        await nextMessage(child, "looping");
        await new Promise((r) => setTimeout(r, 2 + (i % 7)));
        const exited = once(child, "exit");
        child.kill("SIGKILL");
        await exited;
        await acquireAfterDeath(lock, outcomes, lock instanceof Semaphore);
      }
      expect(outcomes.stuck + outcomes.twice, JSON.stringify(outcomes)).toBe(0);
    }, 60_000);
  }
});
