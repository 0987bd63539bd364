import { CancelledError, Executor } from "@weft/pool";
import {
  type Transport,
  type WorkerChannel,
  type WorkerInit,
  type WorkerSink,
  wire,
} from "@weft/pool/extension";
import { expect, it } from "vitest";

/** What a task that ended with its signal's reason sends back (its signal aborts with an AbortError). */
function stoppedBySignal(): Error {
  return Object.assign(new Error("stopped"), { name: "AbortError" });
}

/**
 * A transport whose worker is as fast as a child process can be while the core is between two statements:
 * it runs the first task it is sent, and when that task is asked to stop it ends at once and claims the next
 * posted task (as a worker in another process may do before the core's loop goes on).
 */
class FastWorkerTransport implements Transport {
  readonly sharedMemory = true;

  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel {
    const states = new Int32Array(init.slots!, 0, init.window);
    let running = -1;
    queueMicrotask(() => sink.message(wire.readyMessage()));
    const claim = (slot: number) =>
      Atomics.compareExchange(states, slot, wire.SLOT_PENDING, wire.SLOT_RUNNING) === wire.SLOT_PENDING;
    return {
      post(message) {
        if (wire.isCancelMessage(message)) {
          const [slot] = wire.cancelRequest(message);
          Atomics.store(states, slot, wire.SLOT_DONE);
          const next = wire.nextSlot(slot, init.window);
          const claimed = claim(next);
          if (claimed) Atomics.store(states, next, wire.SLOT_DONE);
          queueMicrotask(() => {
            sink.message(wire.resultBatch(slot, wire.STATUS_ERROR, stoppedBySignal()));
            sink.message(wire.resultBatch(next, claimed ? wire.STATUS_OK : wire.STATUS_SKIPPED, 3));
          });
        } else if (running === -1) {
          running = message[0] as number;
          claim(running);
        }
      },
      terminate: () => queueMicrotask(() => sink.exit(0, null)),
      ref: () => {},
      unref: () => {},
    };
  }
}

it("shutdown({ cancelFutures: true }) withdraws the tasks that have not started before it stops the running one", async () => {
  const ex = new Executor(new FastWorkerTransport(), { maxWorkers: 1 });
  const running = ex.submit(() => "runs until asked to stop");
  const waiting = ex.submit((a: number, b: number) => a + b, 1, 2);
  while (!running.running()) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, 1)); // the worker's READY is in
  await ex.shutdown({ cancelFutures: true });
  await expect(running).rejects.toBeInstanceOf(CancelledError);
  expect(waiting.cancelled()).toBe(true);
});
