import { CancelledError, Executor, WorkerTerminatedError } from "@weft/pool";
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
 * A transport whose worker has sent READY and started its first task (its slot says RUNNING), while its READY
 * message is still on its way: as with a child process whose READY the parent has not read yet when it polls
 * the slot. READY arrives only when the worker is stopped (just before its exit). A task asked to stop ends
 * at once (its result comes after READY).
 */
class ReadyInFlightTransport implements Transport {
  readonly sharedMemory = true;
  /** Slots the core asked to stop, in order. */
  readonly stopRequests: number[] = [];

  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel {
    const states = new Int32Array(init.slots!, 0, init.window);
    const stopRequests = this.stopRequests;
    let readySent = false;
    const sendReady = () => {
      if (!readySent) sink.message(wire.readyMessage());
      readySent = true;
    };
    let started = false;
    return {
      post(message) {
        if (wire.isCancelMessage(message)) {
          const [slot] = wire.cancelRequest(message);
          stopRequests.push(slot);
          Atomics.store(states, slot, wire.SLOT_DONE);
          queueMicrotask(() => {
            sendReady();
            sink.message(wire.resultBatch(slot, wire.STATUS_ERROR, stoppedBySignal()));
          });
        } else if (!started) {
          started = true;
          Atomics.compareExchange(states, message[0] as number, wire.SLOT_PENDING, wire.SLOT_RUNNING);
        }
      },
      terminate: () =>
        queueMicrotask(() => {
          sendReady();
          sink.exit(0, null);
        }),
      ref: () => {},
      unref: () => {},
    };
  }
}

async function startedBeforeReady(options: { killAfter?: number } = {}) {
  const transport = new ReadyInFlightTransport();
  const ex = new Executor(transport, { maxWorkers: 1, ...options });
  const running = ex.submit(() => "runs until asked to stop");
  await Promise.resolve(); // posted (the lone task goes out at once; this is only the microtask after)
  expect(running.running()).toBe(true);
  return { transport, ex, running };
}

it("terminateWorkers() asks a task that runs to stop even before its worker's READY has arrived", async () => {
  const { transport, ex, running } = await startedBeforeReady({ killAfter: 20_000 });
  const stopped = ex.terminateWorkers();
  expect(transport.stopRequests).toEqual([0]);
  await stopped;
  await expect(running).rejects.toBeInstanceOf(WorkerTerminatedError);
});

it("shutdown({ cancelFutures: true }) asks a task that runs to stop even before its worker's READY has arrived", async () => {
  const { transport, ex, running } = await startedBeforeReady();
  const done = ex.shutdown({ cancelFutures: true });
  expect(transport.stopRequests).toEqual([0]);
  await done;
  await expect(running).rejects.toBeInstanceOf(CancelledError);
  expect(running.cancelled()).toBe(false);
});

it("killWorkers() fails a task that had started with WorkerTerminatedError, READY in or not", async () => {
  const { ex, running } = await startedBeforeReady();
  await ex.killWorkers();
  await expect(running).rejects.toBeInstanceOf(WorkerTerminatedError);
  expect(running.cancelled()).toBe(false);
});
