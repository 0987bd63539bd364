import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { loadNative, processExists, until } from "./helpers.js";

const native = await loadNative();

async function childOfEndedThread(sharedSlots: boolean): Promise<number> {
  const worker = new Worker(new URL("./fixtures/pool-in-worker.mjs", import.meta.url), {
    workerData: { sharedSlots },
  });
  const [pid] = (await once(worker, "message")) as [number];
  const [code] = (await once(worker, "exit")) as [number];
  expect(code).toBe(0);
  return pid;
}

describe("a process pool that a worker thread never shut down", () => {
  // Children forked by a thread can only be reaped by that thread's event loop: once it is gone, a child that
  // dies stays a zombie (kill(pid, 0) still succeeds) until this whole process exits.
  it("has its children end and be reaped when the thread ends", async () => {
    const pid = await childOfEndedThread(false);
    await until(() => !processExists(pid), 5000, `child ${pid} to be reaped`);
  }, 15_000);

  it.skipIf(native === undefined)(
    "also with shared slots",
    async () => {
      const pid = await childOfEndedThread(true);
      await until(() => !processExists(pid), 5000, `child ${pid} to be reaped`);
    },
    15_000,
  );
});
