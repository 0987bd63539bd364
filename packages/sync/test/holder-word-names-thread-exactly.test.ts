import { createRequire } from "node:module";
import { threadId, Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { Lock, marshal } from "../src/index.js";

// In memory of this process only, a Lock's word names its holder exactly: two threads whose ids are equal
// in their low 8 bits (one started 256 threads after the other) must never write the same word. If they
// did, a waiter that judged one of them dead could take over the other's hold (its compare-exchange from
// the dead holder's word matches the live one's), letting two threads in.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));
const source = `
const { workerData, parentPort } = require("node:worker_threads");
const { marshal } = require(${SYNC_CJS});
marshal.decode(workerData).lock.acquireSync();
parentPort.postMessage("held");
`;
const wordOf = (lock: Lock): number =>
  Atomics.load(
    new Int32Array((marshal.encode(lock) as { data: { buffer: SharedArrayBuffer } }).data.buffer),
    4,
  );

describe("a holder word in memory of this process", () => {
  it("differs between threads whose ids share their low 8 bits", async () => {
    const mine = new Lock();
    const g = mine.acquireSync();
    // Start (and stop at once) workers until one's id equals this thread's in its low 8 bits.
    for (let tries = 0; tries < 600; tries++) {
      const theirs = new Lock();
      const w = watchWorker(new Worker(source, { eval: true, workerData: marshal.encode({ lock: theirs }) }));
      if ((w.threadId & 0xff) !== (threadId & 0xff)) {
        await w.terminate();
        continue;
      }
      await new Promise((r) => w.once("message", r));
      expect(wordOf(theirs)).not.toBe(0);
      expect(wordOf(theirs)).not.toBe(wordOf(mine));
      await w.terminate();
      if (g) g.release();
      return;
    }
    throw new Error("no worker id matched this thread's low 8 bits in 600 starts");
  }, 60_000);
});
