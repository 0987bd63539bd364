// Shared by the sync and native suites (their tsconfigs include this folder): a live Barrier party in a
// worker thread, so that the test's own thread never waits on or resets a barrier a dying party shares.
// Every wait and reset takes the barrier's bookkeeping lock (a blocking futex held for a few instructions);
// a party that dies inside it (a terminated thread, a SIGKILLed process) leaves it held, and a wait or
// reset on the test's thread would then block it for good, where testTimeout cannot stop it. A live party
// that does not answer in time fails the test instead, and `end()` terminates it.
import { Worker } from "node:worker_threads";

/** What a live party answers: the arrival index, the name of the error its wait threw, or that it reset. */
export type PartyReply = { index: number } | { error: string } | { reset: true };

export interface LiveParty {
  /**
   * Asks it to `wait` (with a timeout of `waitMs`, 10 s unless given) or `reset`; rejects if no answer comes
   * within 5 s more.
   */
  ask(op: "wait" | "reset", waitMs?: number): Promise<PartyReply>;
  /** Terminates its worker. */
  end(): Promise<number>;
}

/**
 * A live party of `encoded` (the barrier through marshal.encode), in a worker that loads the CommonJS files
 * `preload` (absolute paths, e.g. @weft/native's for process-shared memory) and decodes it with the
 * @weft/sync at `syncCjs`.
 */
export function liveParty(encoded: unknown, syncCjs: string, preload: string[] = []): LiveParty {
  const worker = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     for (const file of ${JSON.stringify(preload)}) require(file);
     const { marshal } = require(${JSON.stringify(syncCjs)});
     const barrier = marshal.decode(workerData);
     parentPort.on("message", async ({ id, op, timeout }) => {
       if (op === "reset") { barrier.reset(); parentPort.postMessage({ id, reply: { reset: true } }); return; }
       try { parentPort.postMessage({ id, reply: { index: await barrier.wait({ timeout }) } }); }
       catch (e) { parentPort.postMessage({ id, reply: { error: e.name } }); }
     });`,
    { eval: true, workerData: encoded },
  );
  let next = 0;
  return {
    ask(op, waitMs = 10_000) {
      const id = next++;
      const limit = waitMs + 5000;
      return new Promise<PartyReply>((resolve, reject) => {
        const onMessage = (m: { id: number; reply: PartyReply }) => {
          if (m.id !== id) return;
          clearTimeout(timer);
          worker.off("message", onMessage);
          resolve(m.reply);
        };
        const timer = setTimeout(() => {
          worker.off("message", onMessage);
          reject(
            new Error(
              `a live party did not answer ${op}() within ${limit / 1000} s: it is blocked (in the barrier's ` +
                "bookkeeping lock, left held by the party that died?)",
            ),
          );
        }, limit);
        worker.on("message", onMessage);
        worker.postMessage({ id, op, timeout: waitMs });
      });
    },
    end: () => worker.terminate(),
  };
}
