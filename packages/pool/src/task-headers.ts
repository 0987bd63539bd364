// Headers of the messages between the executor core and one worker thread, kept in memory both share.
//
// Why: a message is structured-cloned, and a list costs more to clone than what it holds (V8 sets up the
// serializer's object map, writes and reads the list, and looks for extra properties on it): ~0.5 µs each
// way, against ~22 µs for a whole round trip that moves a 16 MiB buffer. So the two common messages travel
// bare: one task without a propagated context ([slot, code, args]) as its `args`, one result
// ([MSG_RESULTS, slot, status, value]) as its `value`; the numbers go here. Any other message travels as
// it is, with a header saying so. Messages on a port arrive in order, so the n-th message received has the
// n-th header of its direction. Only the core posts to a worker, and only the task server posts to the
// core (the worker entry reserves parentPort), so no message can take a header out of turn. A message
// posted but not yet received holds at least one task in flight (or is the worker's one start-up report),
// so at most `window + 1` headers of a direction are ever unread: rings of `window + 2` never overwrite one.

import { bareStart, fromBare, nextSlot } from "./message-codec.js";
import { anchorShape } from "./shape-anchors.js";

const AS_IS = 0;
const BARE = 1;
/** Int32s per header: kind, and two numbers (slot and code, or slot and status). */
const WIDTH = 3;

/** Which messages a ring carries. */
const TO_WORKER = 0 as const;
const TO_CORE = 1 as const;

function ringLength(window: number): number {
  return (window + 2) * WIDTH;
}

/** Bytes of shared memory the headers of a worker with this in-flight window need (both directions). */
export function headerBytes(window: number): number {
  return 2 * ringLength(window) * Int32Array.BYTES_PER_ELEMENT;
}

function ring(buffer: SharedArrayBuffer, direction: number): Int32Array {
  const length = buffer.byteLength / Int32Array.BYTES_PER_ELEMENT / 2;
  return new Int32Array(buffer, direction * length * Int32Array.BYTES_PER_ELEMENT, length);
}

/**
 * The headers of one direction. The sending end calls `post`, the receiving end `read`; each end keeps its
 * own count of the headers it has used.
 */
class HeaderRing {
  readonly #i32: Int32Array;
  readonly #size: number;
  readonly #toCore: boolean;
  #next = 0;

  constructor(buffer: SharedArrayBuffer, direction: number) {
    this.#i32 = ring(buffer, direction);
    this.#size = this.#i32.length / WIDTH;
    this.#toCore = direction === TO_CORE;
  }

  /**
   * Posts `message` through `postMessage`, bare when it is one task without a context (to a worker) or one
   * result (to the core). If posting throws (a value that cannot be cloned), the header is not used.
   */
  post(
    message: unknown[],
    transfer: readonly unknown[] | undefined,
    postMessage: (value: unknown, transfer: readonly unknown[] | undefined) => void,
  ): void {
    const i = this.#next * WIDTH;
    const i32 = this.#i32;
    const first = bareStart(message, this.#toCore);
    if (first >= 0) {
      Atomics.store(i32, i, BARE);
      Atomics.store(i32, i + 1, message[first] as number);
      Atomics.store(i32, i + 2, message[first + 1] as number);
      postMessage(message[first + 2], transfer);
    } else {
      Atomics.store(i32, i, AS_IS);
      postMessage(message, transfer);
    }
    this.#next = nextSlot(this.#next, this.#size);
  }

  /** The protocol message that `received`, the next message of this direction, stands for. */
  read(received: unknown): unknown[] {
    const i = this.#next * WIDTH;
    this.#next = nextSlot(this.#next, this.#size);
    const i32 = this.#i32;
    if (Atomics.load(i32, i) !== BARE) return received as unknown[];
    return fromBare(Atomics.load(i32, i + 1), Atomics.load(i32, i + 2), received, this.#toCore);
  }
}

/** Which end of a worker's headers: the core's posts tasks and reads results, the worker's the reverse. */
export const CORE_END = TO_WORKER;
export const WORKER_END = TO_CORE;

/** One end of a worker's headers: `out` for the messages it posts, `in` for those it receives. */
export class HeaderEnds {
  readonly out: HeaderRing;
  readonly in: HeaderRing;
  constructor(buffer: SharedArrayBuffer, end: typeof CORE_END | typeof WORKER_END) {
    this.out = new HeaderRing(buffer, end);
    this.in = new HeaderRing(buffer, end === TO_WORKER ? TO_CORE : TO_WORKER);
  }
}

// Their hidden classes must outlive the workers that use them (see shape-anchors.ts).
anchorShape(new HeaderEnds(new SharedArrayBuffer(headerBytes(1)), CORE_END));
