import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { deserializeError } from "./error-deserialize.js";
import type { AbortNotice, SignalChannel } from "./signal-bridge.js";
import type { SignalSource } from "./signal-marshaller.js";

const nativeAborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")!.get!;
const nativeReason = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason")!.get!;

/**
 * The thread's side of the AbortSignal bridge: one local AbortSignal per bridged signal. It aborts when the
 * notice arrives on the event loop, and also when code polls `aborted`, `reason` or `throwIfAborted()` while the
 * thread is busy: those check the shared flag and pull the notice from the port synchronously.
 */
export class SignalReceiver implements SignalSource {
  readonly #flags: Int32Array;
  readonly #port: MessagePort;
  readonly #controllers = new Map<number, AbortController>();

  constructor(channel: SignalChannel) {
    this.#flags = new Int32Array(channel.flags);
    this.#port = channel.port;
    this.#port.on("message", (notice: AbortNotice) => this.#apply(notice));
    this.#port.unref();
  }

  signal(index: number): AbortSignal {
    let controller = this.#controllers.get(index);
    if (controller === undefined) {
      controller = new AbortController();
      this.#controllers.set(index, controller);
      this.#follow(controller.signal, index);
      if (Atomics.load(this.#flags, index) === 1) this.#drain();
    }
    return controller.signal;
  }

  #follow(signal: AbortSignal, index: number): void {
    const poll = () => {
      if (!nativeAborted.call(signal) && Atomics.load(this.#flags, index) === 1) this.#drain();
    };
    Object.defineProperties(signal, {
      aborted: {
        configurable: true,
        get: () => {
          poll();
          return nativeAborted.call(signal);
        },
      },
      reason: {
        configurable: true,
        get: () => {
          poll();
          return nativeReason.call(signal);
        },
      },
      throwIfAborted: {
        configurable: true,
        value: () => {
          poll();
          AbortSignal.prototype.throwIfAborted.call(signal);
        },
      },
    });
  }

  #drain(): void {
    for (
      let received = receiveMessageOnPort(this.#port);
      received;
      received = receiveMessageOnPort(this.#port)
    ) {
      this.#apply(received.message as AbortNotice);
    }
  }

  #apply(notice: AbortNotice): void {
    const controller = this.#controllers.get(notice.index);
    if (controller !== undefined && !nativeAborted.call(controller.signal)) {
      controller.abort(deserializeError(notice.reason));
    } else if (controller === undefined) {
      // Not decoded (yet): keep an already-aborted controller for when it is.
      const early = new AbortController();
      this.#controllers.set(notice.index, early);
      this.#follow(early.signal, notice.index);
      early.abort(deserializeError(notice.reason));
    }
  }
}
