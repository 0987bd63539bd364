import { CancelledError, ProcessPoolExecutor, WorkerTerminatedError } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
// A task that waits until it is asked to stop (the shared suite's; tsconfig.json includes that folder).
import { honour } from "../../pool/test/conformance/executor-contract.js";
import { nativeAvailable } from "./helpers.js";

/**
 * Submits `honour` and waits, without letting this event loop turn, until its slot says it runs: the child
 * has sent READY and started the task, and this process has not read READY yet (as under load, when the
 * poll that sees the task running comes before the message is read).
 */
function startedBeforeReadyIsRead(ex: ProcessPoolExecutor) {
  const running = ex.submit(honour);
  const end = Date.now() + 20_000;
  while (!running.running()) {
    if (Date.now() > end) throw new Error("timed out waiting for the task to start");
  }
  return running;
}

// Needs shared slots: without them the core knows a task started only from the child's READY.
describe.runIf(nativeAvailable)("a child whose READY has not been read yet", () => {
  it("terminateWorkers() asks its running task to stop: it fails with WorkerTerminatedError", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1, killAfter: 20_000 });
    const running = startedBeforeReadyIsRead(ex);
    await ex.terminateWorkers();
    await expect(running).rejects.toBeInstanceOf(WorkerTerminatedError);
  });

  it("shutdown({ cancelFutures: true }) asks its running task to stop: it fails with CancelledError", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const running = startedBeforeReadyIsRead(ex);
    await ex.shutdown({ cancelFutures: true });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(running.cancelled()).toBe(false);
  });

  it("killWorkers() fails its running task with WorkerTerminatedError, not as cancelled", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    const running = startedBeforeReadyIsRead(ex);
    await ex.killWorkers();
    await expect(running).rejects.toBeInstanceOf(WorkerTerminatedError);
  });
});
