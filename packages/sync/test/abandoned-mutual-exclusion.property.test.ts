import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { AbandonedLockError, type Guard, Lock, marshal, RLock } from "../src/index.js";

// Eval workers resolve bare specifiers from the working directory: give them the built CommonJS entries' paths.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));

// Property: whatever the interleaving of acquires, releases and holder deaths (terminated workers), at most
// one thread is ever inside the critical section, and the lock stays usable (a waiter gets it, told when
// its holder died). Each worker counts itself in `inside` when it enters and records its incarnation in
// `owner` (cleared when it leaves); an acquirer told the lock was abandoned checks that the recorded owner
// is really dead (the test clears `alive[id]` when a worker exits, before weft sees the exit; 0, a holder
// killed after its take but before it entered, counts as dead), then repairs the count.
// violations[0] counts two threads inside at once, violations[1] a live owner reported dead.

const source = `
const { workerData, parentPort } = require("node:worker_threads");
const { marshal, AbandonedLockError } = require(${SYNC_CJS});
const { shared, id } = workerData;
const { lock, inside, violations, owner, alive } = marshal.decode(shared);
let guard = null;
let pending = false;
function enter(g) {
  pending = false;
  if (Atomics.add(inside, 0, 1) !== 0) Atomics.add(violations, 0, 1);
  Atomics.store(owner, 0, id);
  guard = g;
}
parentPort.on("message", (m) => {
  if (m === "acquire" && guard === null && !pending) {
    pending = true;
    lock.acquire().then(enter, (e) => {
      if (!(e instanceof AbandonedLockError)) throw e;
      if (Atomics.load(alive, Atomics.load(owner, 0)) !== 0) Atomics.add(violations, 1, 1);
      Atomics.store(inside, 0, 0);
      enter(e.guard);
    });
  } else if (m === "release" && guard !== null) {
    Atomics.store(owner, 0, 0);
    Atomics.sub(inside, 0, 1);
    const g = guard;
    guard = null;
    g.release();
  } else if (m === "close") {
    if (guard !== null) { Atomics.store(owner, 0, 0); Atomics.sub(inside, 0, 1); guard.release(); guard = null; }
    parentPort.close();
  }
});
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const command = fc.record({
  who: fc.integer({ min: 0, max: 2 }),
  op: fc.constantFrom("acquire", "acquire", "release", "die"),
});

describe("mutual exclusion under holder deaths (property)", () => {
  for (const make of [() => new Lock(), () => new RLock()]) {
    it(`${make().constructor.name}: acquires, releases and deaths interleaved never let two threads in`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 4, maxLength: 12 }), async (commands) => {
          const lock = make();
          const inside = new Int32Array(new SharedArrayBuffer(4));
          const violations = new Int32Array(new SharedArrayBuffer(8));
          const owner = new Int32Array(new SharedArrayBuffer(4));
          const alive = new Int32Array(new SharedArrayBuffer(4 * 64));
          const shared = marshal.encode({ lock, inside, violations, owner, alive });
          let next = 1;
          const start = () => {
            const id = next++;
            Atomics.store(alive, id, 1);
            const w = new Worker(source, { eval: true, workerData: { shared, id } });
            w.once("exit", () => Atomics.store(alive, id, 0)); // before watchWorker's listener
            w.on("error", () => {});
            return watchWorker(w);
          };
          const workers = [start(), start(), start()];
          try {
            for (const { who, op } of commands) {
              if (op === "die") {
                await workers[who]!.terminate();
                workers[who] = start();
              } else workers[who]!.postMessage(op);
              await sleep(15);
            }
            for (const w of workers) w.postMessage("close");
            // Whoever still holds or waits has let go (or died): the lock is free for this thread, told
            // if a dead holder had it.
            let g: Guard | false;
            try {
              g = await lock.acquire({ timeout: 10_000 });
            } catch (e) {
              expect(e).toBeInstanceOf(AbandonedLockError);
              g = (e as AbandonedLockError).guard as Guard;
              // Repaired as the workers do: a holder that died inside left its count there. (Left as it was,
              // a worker still waiting would enter after this release and count two inside.)
              Atomics.store(inside, 0, 0);
            }
            expect(g).not.toBe(false);
            // Read while this thread holds the lock: every worker's entry so far is in the counts.
            expect(Atomics.load(violations, 0), "two threads inside at once").toBe(0);
            expect(Atomics.load(violations, 1), "a live holder reported dead").toBe(0);
            (g as Guard).release();
          } finally {
            await Promise.all(workers.map((w) => w.terminate()));
          }
        }),
        { numRuns: 8 },
      );
    }, 120_000);
  }
});
