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
const SYNC_CJS = JSON.stringify(SYNC_CJS_PATH);

// A party that dies while waiting on a Barrier breaks it for the others, and never counts as arrived.
// The live parties are workers too, never this thread (see support/live-party.ts).

function party(barrier: Barrier, how: "terminate" | "exit"): { worker: Worker; die(): Promise<void> } {
  const worker = watchWorker(
    new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       const { marshal } = require(${SYNC_CJS});
       const { barrier, how } = marshal.decode(workerData);
       parentPort.postMessage("waiting");
       if (how === "exit") setTimeout(() => process.exit(0), 150);
       barrier.wait().catch(() => {});`,
      { eval: true, workerData: marshal.encode({ barrier, how }) },
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

async function untilWaiting(b: Barrier, n: number): Promise<void> {
  while (b.nWaiting < n) await new Promise((r) => setTimeout(r, 5));
}

describe("Barrier with a party that dies", () => {
  for (const how of ["terminate", "exit"] as const) {
    it(`a party that dies (${how}) while waiting breaks the barrier for the waiting others`, async () => {
      const b = new Barrier(3);
      const live = liveParty(marshal.encode(b), SYNC_CJS_PATH);
      try {
        const p = party(b, how);
        await once(p.worker, "message");
        await untilWaiting(b, 1);
        const waited = live.ask("wait");
        await untilWaiting(b, 2);
        await p.die();
        expect(await waited).toEqual({ error: "BrokenBarrierError" });
        expect(b.broken).toBe(true);
        expect(await live.ask("reset")).toEqual({ reset: true });
        expect(b.nWaiting).toBe(0);
        expect(b.broken).toBe(false);
      } finally {
        await live.end();
      }
    }, 40_000);
  }

  it("a dead party never counts as arrived: the last live arrival breaks instead of tripping", async () => {
    const b = new Barrier(2);
    const live = liveParty(marshal.encode(b), SYNC_CJS_PATH);
    try {
      const p = party(b, "terminate");
      await once(p.worker, "message");
      await untilWaiting(b, 1);
      await p.die();
      // Arriving as the second party: the first is dead, so the barrier must not trip.
      expect(await live.ask("wait")).toEqual({ error: "BrokenBarrierError" });
      expect(await live.ask("reset")).toEqual({ reset: true });
      // Reset, it works again for live parties.
      const [x, y] = await Promise.all([live.ask("wait"), live.ask("wait")]);
      expect([x, y].map((r) => ("index" in r ? r.index : r)).sort()).toEqual([0, 1]);
    } finally {
      await live.end();
    }
  }, 40_000);
});
