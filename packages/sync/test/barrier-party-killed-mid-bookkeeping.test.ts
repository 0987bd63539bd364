import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { Barrier, marshal } from "../src/index.js";

// Two parties loop through a Barrier(2) as fast as they can; one is terminated at an arbitrary instruction
// (possibly inside the barrier's own bookkeeping). The survivor must not be left blocked: its next wait
// ends (broken by the death, or by its timeout) within a bounded time. Runs in workers, so a survivor that
// hangs fails the test instead of blocking the test's thread.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));
const source = `
const { workerData, parentPort } = require("node:worker_threads");
const { marshal, BrokenBarrierError } = require(${SYNC_CJS});
const { barrier } = marshal.decode(workerData.shared);
parentPort.postMessage("looping");
for (;;) {
  try { barrier.waitSync({ timeout: 500 }); }
  catch (e) { parentPort.postMessage(e instanceof BrokenBarrierError ? "broken" : String(e)); break; }
}
`;

describe("a Barrier party killed anywhere in its wait", () => {
  it("never leaves the other party blocked", async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const barrier = new Barrier(2);
      const shared = marshal.encode({ barrier });
      const start = () => watchWorker(new Worker(source, { eval: true, workerData: { shared } }));
      const [victim, survivor] = [start(), start()];
      await Promise.all([victim, survivor].map((w) => new Promise((r) => w.once("message", r))));
      await new Promise((r) => setTimeout(r, 2 + (i % 9)));
      const told = new Promise<string>((r) => survivor.once("message", r));
      await victim.terminate();
      const outcome = await Promise.race([
        told,
        new Promise<string>((r) => setTimeout(() => r("still blocked after 5 s"), 5000)),
      ]);
      outcomes.push(outcome);
      await survivor.terminate();
    }
    expect(outcomes.filter((o) => o !== "broken")).toEqual([]);
  }, 120_000);
});
