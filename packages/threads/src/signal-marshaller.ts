import { registerMarshaller } from "@weft/sync";

/**
 * AbortSignals cannot be structured-cloned, so a thread's arguments carry each one as an index into a bridge:
 * the starting side watches the signal, the thread gets its own AbortSignal that follows it. This marshaller
 * does the substitution inside the one `marshal` walk over the arguments.
 */

/** What the encoding side records (implemented by the signal bridge). */
export interface SignalSink {
  add(signal: AbortSignal): number;
}

/** What the decoding side provides (implemented by the signal receiver). */
export interface SignalSource {
  signal(index: number): AbortSignal;
}

let sink: SignalSink | undefined;
let source: SignalSource | undefined;

registerMarshaller("weft.threads.AbortSignal", {
  test: (value) => value instanceof AbortSignal,
  encode(signal: AbortSignal) {
    if (sink === undefined) {
      throw new Error(
        "an AbortSignal can cross only as an argument of a Thread, which bridges it to the thread",
      );
    }
    return sink.add(signal);
  },
  decode(index: number) {
    if (source === undefined) throw new Error("an AbortSignal can only be received as a Thread argument");
    return source.signal(index);
  },
});

/** Runs `fn` (a marshal.encode call) with AbortSignals recorded in `target`. */
export function withSignalSink<T>(target: SignalSink, fn: () => T): T {
  const previous = sink;
  sink = target;
  try {
    return fn();
  } finally {
    sink = previous;
  }
}

/** Runs `fn` (a marshal.decode call) with AbortSignals taken from `from`. */
export function withSignalSource<T>(from: SignalSource | undefined, fn: () => T): T {
  const previous = source;
  source = from;
  try {
    return fn();
  } finally {
    source = previous;
  }
}
