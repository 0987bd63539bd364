import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { BoundedSemaphore, Lock, marshal, RLock, Semaphore } from "../src/index.js";
import { acquireAfterDeath, afterDeath } from "./support/acquire-after-death.js";

// A worker terminated at an arbitrary instruction of a tight acquire/release loop (inside the take, between
// taking the word and recording itself, inside the release...) must never leave the lock held with nobody
// to blame: once its exit is seen, the next acquirer gets the lock, free or told it was abandoned. For a
// Semaphore(1), the permit must come back exactly once: whoever gets it is then alone.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));
const source = `
const { workerData, parentPort } = require("node:worker_threads");
const { marshal } = require(${SYNC_CJS});
const { lock } = marshal.decode(workerData.shared);
parentPort.postMessage("looping");
if (workerData.sync) { for (;;) { lock.acquireSync(); lock.release(); } }
else (async () => { for (;;) (await lock.acquire()).release(); })();
`;

const TRIALS = 20;

describe("a holder killed anywhere in its take or release", () => {
  const make = {
    Lock: () => new Lock(),
    RLock: () => new RLock(),
    Semaphore: () => new Semaphore(1),
    BoundedSemaphore: () => new BoundedSemaphore(1),
  };
  for (const kind of ["Lock", "RLock", "Semaphore", "BoundedSemaphore"] as const) {
    for (const sync of [true, false]) {
      it(`${kind}, ${sync ? "acquireSync" : "async acquire"} loop: the lock is never left held by nobody`, async () => {
        const outcomes = afterDeath();
        for (let i = 0; i < TRIALS; i++) {
          const lock = make[kind]();
          const shared = marshal.encode({ lock });
          const w = watchWorker(new Worker(source, { eval: true, workerData: { shared, sync } }));
          await new Promise((r) => w.once("message", r));
          await new Promise((r) => setTimeout(r, 1 + (i % 7)));
          const exited = new Promise((r) => w.once("exit", r));
          await w.terminate();
          await exited;
          await acquireAfterDeath(lock, outcomes, lock instanceof Semaphore);
        }
        expect(outcomes.stuck + outcomes.twice, JSON.stringify(outcomes)).toBe(0);
      }, 60_000);
    }
  }
});
