import { runInNewContext } from "node:vm";

/**
 * Globals that Node provides to every thread besides the language built-ins. A function target may use these
 * freely. Names that this Node version lacks are dropped below, so the set matches the running runtime.
 */
const NODE_GLOBALS = [
  "process",
  "global",
  "Buffer",
  "console",
  "setTimeout",
  "clearTimeout",
  "setInterval",
  "clearInterval",
  "setImmediate",
  "clearImmediate",
  "queueMicrotask",
  "structuredClone",
  "atob",
  "btoa",
  "performance",
  "fetch",
  "crypto",
  "navigator",
  "URL",
  "URLSearchParams",
  "DOMException",
  "AbortController",
  "AbortSignal",
  "Event",
  "EventTarget",
  "CustomEvent",
  "EventSource",
  "WebSocket",
  "Navigator",
  "TextEncoder",
  "TextDecoder",
  "TextEncoderStream",
  "TextDecoderStream",
  "CompressionStream",
  "DecompressionStream",
  "ReadableStream",
  "ReadableStreamDefaultReader",
  "ReadableStreamBYOBReader",
  "ReadableStreamBYOBRequest",
  "ReadableByteStreamController",
  "ReadableStreamDefaultController",
  "WritableStream",
  "WritableStreamDefaultController",
  "WritableStreamDefaultWriter",
  "TransformStream",
  "TransformStreamDefaultController",
  "ByteLengthQueuingStrategy",
  "CountQueuingStrategy",
  "BroadcastChannel",
  "MessageChannel",
  "MessagePort",
  "MessageEvent",
  "Blob",
  "File",
  "FormData",
  "Headers",
  "Request",
  "Response",
  "Performance",
  "PerformanceEntry",
  "PerformanceMark",
  "PerformanceMeasure",
  "PerformanceObserver",
  "PerformanceObserverEntryList",
  "PerformanceResourceTiming",
  "Crypto",
  "CryptoKey",
  "SubtleCrypto",
];

let known: ReadonlySet<string> | undefined;

/** The names a self-contained function may use without defining them: language built-ins plus Node's globals. */
export function knownGlobals(): ReadonlySet<string> {
  if (known !== undefined) return known;
  // A fresh context holds exactly the language's built-ins (Object, Math, Atomics, ...), none of this
  // realm's additions, so a user's `globalThis.x = ...` is not mistaken for something every thread has.
  const builtins = runInNewContext("Object.getOwnPropertyNames(globalThis)") as string[];
  const names = new Set<string>(builtins);
  for (const name of NODE_GLOBALS) if (name in globalThis) names.add(name);
  known = names;
  return names;
}
