import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";

interface Reply {
  threadId: number;
  initNumber: number;
  handled: number;
  inits: number;
  workerThreadId: number;
}

const fixture = new URL("./fixtures/thread-local-worker.mjs", import.meta.url);
const workers = [new Worker(fixture), new Worker(fixture)];
afterAll(() => Promise.all(workers.map((w) => w.terminate())));

function ask<T>(worker: Worker, msg: unknown): Promise<T> {
  const reply = once(worker, "message") as Promise<[T]>;
  worker.postMessage(msg);
  return reply.then(([r]) => r);
}

describe("ThreadLocal across raw worker threads", () => {
  it("does not initialise a worker's value before that worker reads it", async () => {
    for (const w of workers) expect(await ask(w, "peek")).toEqual({ has: false, inits: 0 });
  });

  it("gives each worker its own value, initialised once and persisting across its messages", async () => {
    const replies: Reply[][] = [[], []];
    for (let round = 0; round < 5; round++) {
      // both workers handle a message at the same time, round after round
      const batch = await Promise.all(workers.map((w) => ask<Reply>(w, "task")));
      for (const [i, r] of batch.entries()) replies[i]?.push(r);
    }
    workers.forEach((w, i) => {
      const mine = replies[i] ?? [];
      expect(mine.map((r) => r.handled)).toEqual([1, 2, 3, 4, 5]);
      for (const r of mine) {
        expect(r.inits).toBe(1);
        expect(r.initNumber).toBe(1);
        expect(r.threadId).toBe(w.threadId);
        expect(r.workerThreadId).toBe(w.threadId);
      }
    });
    expect(workers[0]?.threadId).not.toBe(workers[1]?.threadId);
  });
});
