import { once } from "node:events";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { Barrier, marshal } from "../src/index.js";
import { liveParty } from "./support/live-party.js";

// Eval workers resolve bare specifiers from the working directory: give them the built CommonJS entries' paths.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS_PATH = requireHere.resolve("@weft/sync");

// Every Barrier wait and reset takes the barrier's bookkeeping lock, held for a few instructions. A thread
// can die inside it (worker.terminate() lands anywhere; so does a SIGKILL), and the lock must not stay held
// then: every later wait or reset of every other party would block its thread for good, whatever its
// timeout (with the old blocking futex this is how barrier-dead-party.test.ts could hang `pnpm test`).
// barrier-party-killed-mid-bookkeeping.test.ts kills a party inside wait; here the dying thread resets the
// barrier in a loop, so that it is inside the lock most of the time when it is terminated.

describe("a thread that dies inside a Barrier's bookkeeping", () => {
  it("does not leave it held: a later wait({ timeout }) of a live party still returns in time", async () => {
    for (let round = 0; round < 5; round++) {
      const b = new Barrier(3);
      const dying = watchWorker(
        new Worker(
          `const { workerData, parentPort } = require("node:worker_threads");
           const { marshal } = require(${JSON.stringify(SYNC_CJS_PATH)});
           const barrier = marshal.decode(workerData);
           parentPort.postMessage("resetting");
           for (;;) barrier.reset();`,
          { eval: true, workerData: marshal.encode(b) },
        ),
      );
      await once(dying, "message");
      await new Promise((r) => setTimeout(r, 20));
      await dying.terminate();
      const live = liveParty(marshal.encode(b), SYNC_CJS_PATH);
      try {
        // Alone of three, it times out: the timeout breaks the barrier.
        expect(await live.ask("wait", 300), `round ${round}`).toEqual({ error: "BrokenBarrierError" });
      } finally {
        await live.end();
      }
    }
  }, 60_000);
});
