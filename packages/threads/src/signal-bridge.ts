import { MessageChannel, type MessagePort } from "node:worker_threads";
import { serializeError, type TransportedError } from "./error-serialize.js";
import type { SignalSink } from "./signal-marshaller.js";

/** What the thread needs to follow the bridged signals: one abort flag per signal and a port for reasons. */
export interface SignalChannel {
  readonly flags: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** An abort, sent to the thread: which signal, and why. */
export interface AbortNotice {
  readonly index: number;
  readonly reason: TransportedError;
}

/**
 * The starting side of the AbortSignal bridge. Signals are recorded while the arguments are encoded; `open()`
 * then watches them. On abort it posts the reason and then raises the signal's flag, so a thread that polls
 * `signal.aborted` in a busy loop sees the abort (and can read the reason synchronously) without returning to
 * its event loop.
 */
export class SignalBridge implements SignalSink {
  readonly #signals: AbortSignal[] = [];
  readonly #indexes = new Map<AbortSignal, number>();
  readonly #listeners: Array<() => void> = [];
  #port: MessagePort | undefined;

  add(signal: AbortSignal): number {
    let index = this.#indexes.get(signal);
    if (index === undefined) {
      index = this.#signals.push(signal) - 1;
      this.#indexes.set(signal, index);
    }
    return index;
  }

  /** Starts watching the recorded signals; returns what to send to the thread, or undefined when there are none. */
  open(): SignalChannel | undefined {
    if (this.#signals.length === 0) return undefined;
    const flags = new SharedArrayBuffer(4 * this.#signals.length);
    const words = new Int32Array(flags);
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    this.#port = port1;
    this.#signals.forEach((signal, index) => {
      const abort = () => {
        const notice: AbortNotice = { index, reason: serializeError(signal.reason, { path: "reason" }) };
        port1.postMessage(notice);
        Atomics.store(words, index, 1);
      };
      if (signal.aborted) {
        abort();
      } else {
        signal.addEventListener("abort", abort, { once: true });
        this.#listeners.push(() => signal.removeEventListener("abort", abort));
      }
    });
    return { flags, port: port2 };
  }

  /** Stops watching (the thread ended). */
  close(): void {
    for (const remove of this.#listeners) remove();
    this.#listeners.length = 0;
    this.#port?.close();
    this.#port = undefined;
  }
}
