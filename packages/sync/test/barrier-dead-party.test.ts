import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { watchWorker } from "../src/extension.js";
import { Barrier, BrokenBarrierError, marshal } from "../src/index.js";

// Eval workers resolve bare specifiers from the working directory: give them the built CommonJS entries' paths.
const requireHere = createRequire(import.meta.url);
const SYNC_CJS = JSON.stringify(requireHere.resolve("@weft/sync"));

// A party that dies while waiting on a Barrier breaks it for the others, and never counts as arrived.

function party(barrier: Barrier, how: "terminate" | "exit"): { worker: Worker; die(): Promise<void> } {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = watchWorker(
    new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       const { marshal } = require(${SYNC_CJS});
       const { barrier, how } = marshal.decode(workerData);
       parentPort.postMessage("waiting");
       if (how === "exit") setTimeout(() => process.exit(0), 150);
       barrier.wait().catch(() => {});`,
      { eval: true, workerData: marshal.encode({ barrier, how, gate }) },
    ),
  );
  const exited = new Promise<void>((r) => worker.once("exit", () => r()));
  return {
    worker,
    async die() {
      if (how === "terminate") await worker.terminate();
      await exited;
    },
  };
}
const arrived = (w: Worker) => new Promise((r) => w.once("message", r));
const settle = (p: Promise<unknown>) =>
  p.then(
    (v) => v,
    (e: unknown) => e,
  );

describe("Barrier with a party that dies", () => {
  for (const how of ["terminate", "exit"] as const) {
    it(`a party that dies (${how}) while waiting breaks the barrier for the waiting others`, async () => {
      const b = new Barrier(3);
      const p = party(b, how);
      await arrived(p.worker);
      while (b.nWaiting < 1) await new Promise((r) => setTimeout(r, 5));
      const mine = settle(b.wait({ timeout: 10_000 }));
      await p.die();
      expect(await mine).toBeInstanceOf(BrokenBarrierError);
      expect(b.broken).toBe(true);
      b.reset();
      expect(b.nWaiting).toBe(0);
      expect(b.broken).toBe(false);
    }, 20_000);
  }

  it("a dead party never counts as arrived: the last live arrival breaks instead of tripping", async () => {
    const b = new Barrier(2);
    const p = party(b, "terminate");
    await arrived(p.worker);
    while (b.nWaiting < 1) await new Promise((r) => setTimeout(r, 5));
    await p.die();
    // Arriving as the second party: the first is dead, so the barrier must not trip.
    expect(await settle(b.wait({ timeout: 10_000 }))).toBeInstanceOf(BrokenBarrierError);
    b.reset();
    // Reset, it works again for live parties.
    const [x, y] = await Promise.all([b.wait(), b.wait()]);
    expect([x, y].sort()).toEqual([0, 1]);
  }, 20_000);
});
