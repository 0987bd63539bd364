import { marshal } from "@weft/sync";
import type { SignalBridge } from "./signal-bridge.js";
import { withSignalSink, withSignalSource } from "./signal-marshaller.js";
import type { SignalReceiver } from "./signal-receiver.js";

/**
 * The only place where thread arguments and results meet `@weft/sync`'s marshal protocol: weft primitives
 * (Lock, Event, ...) cross as the same shared object, AbortSignals through the thread's bridge, and anything
 * that cannot cross fails with a MarshalError naming its path (`args[1].handler`, `result.items[0]`).
 */

/** The marshal walk, for serializeError to name a thrown value that cannot cross (path `error...`). */
export { marshal };

/** Encodes a thread's arguments on the starting side; AbortSignals are recorded in `bridge`. */
export function encodeArgs(args: readonly unknown[], bridge: SignalBridge): unknown {
  return withSignalSink(bridge, () => marshal.encode(args, { path: "args" }));
}

/** Decodes a thread's arguments inside the thread. */
export function decodeArgs(data: unknown, receiver: SignalReceiver | undefined): unknown[] {
  return withSignalSource(receiver, () => marshal.decode<unknown[]>(data, { path: "args" }));
}

/** Encodes what the target returned, inside the thread. */
export function encodeResult(value: unknown): unknown {
  return marshal.encode(value, { path: "result" });
}

/** Decodes the result on the joining side. */
export function decodeResult(data: unknown): unknown {
  return marshal.decode(data, { path: "result" });
}
