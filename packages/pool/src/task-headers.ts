// Headers of the executor core's messages to one worker thread, kept in memory the two threads share.
//
// Why: a message is structured-cloned, and a list costs more to clone than what it holds (V8 sets up the
// serializer's object map, writes and reads the list, and looks for extra properties on it): ~0.5 µs each
// way, against ~22 µs for a whole round trip that moves a 16 MiB buffer. So the common message, one task
// without a propagated context ([slot, code, args]), travels as its bare `args`, and its slot and code go
// here; any other message travels as it is, with a header saying so. Messages on a port arrive in order,
// so the n-th message received has the n-th header. Only the core posts to a worker, so nothing else can
// take a header out of turn. A message posted but not yet received holds at least one task in flight, so
// at most `window` headers are ever unread: a ring of `window + 2` never overwrites one.

import { anchorShape } from "./shape-anchors.js";

const AS_IS = 0;
const ONE_TASK = 1;
/** Int32s per header: kind, slot, code. */
const WIDTH = 3;

/** Bytes of shared memory the headers of a worker with this in-flight window need. */
export function headerBytes(window: number): number {
  return (window + 2) * WIDTH * Int32Array.BYTES_PER_ELEMENT;
}

/** The core's side: writes a header, then posts. */
export class TaskHeaderWriter {
  readonly #i32: Int32Array;
  readonly #size: number;
  #next = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#i32 = new Int32Array(buffer);
    this.#size = this.#i32.length / WIDTH;
  }

  /**
   * Posts `message` through `postMessage`, as its bare arguments when it is one task without a context.
   * If posting throws (a value that cannot be cloned), the header is not used.
   */
  post(
    message: unknown[],
    transfer: readonly unknown[] | undefined,
    postMessage: (value: unknown, transfer: readonly unknown[] | undefined) => void,
  ): void {
    const i = this.#next * WIDTH;
    const i32 = this.#i32;
    if (message.length === 3 && (message[1] as number) >= 0) {
      Atomics.store(i32, i, ONE_TASK);
      Atomics.store(i32, i + 1, message[0] as number);
      Atomics.store(i32, i + 2, message[1] as number);
      postMessage(message[2], transfer);
    } else {
      Atomics.store(i32, i, AS_IS);
      postMessage(message, transfer);
    }
    this.#next = this.#next + 1 === this.#size ? 0 : this.#next + 1;
  }
}

/** The worker's side: turns each received message back into the protocol's list. */
export class TaskHeaderReader {
  readonly #i32: Int32Array;
  readonly #size: number;
  #next = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#i32 = new Int32Array(buffer);
    this.#size = this.#i32.length / WIDTH;
  }

  /** The protocol message that `received`, the next message from the core, stands for. */
  read(received: unknown): unknown[] {
    const i = this.#next * WIDTH;
    this.#next = this.#next + 1 === this.#size ? 0 : this.#next + 1;
    const i32 = this.#i32;
    if (Atomics.load(i32, i) === ONE_TASK) {
      return [Atomics.load(i32, i + 1), Atomics.load(i32, i + 2), received];
    }
    return received as unknown[];
  }
}

// Their hidden classes must outlive the workers that use them (see shape-anchors.ts).
anchorShape(new TaskHeaderWriter(new SharedArrayBuffer(headerBytes(1))));
anchorShape(new TaskHeaderReader(new SharedArrayBuffer(headerBytes(1))));
