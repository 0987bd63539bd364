/**
 * The worker entry of a Thread (built to dist/thread-worker.js, also exported as "@weft/threads/worker"): loads the target, decodes the arguments, runs the
 * target inside the captured context, posts the outcome once all console output has been handed to the parent,
 * and ends the thread. The marshal walk (marshal-bridge.ts, and with it @weft/sync's user API, the package itself
 * so a target's own import sees the same classes) is loaded only when an argument or the result is not a leaf.
 */

import { parentPort, threadId, workerData } from "node:worker_threads";
import { runWith } from "@weft/local-storage";
import { setSelfInfo } from "./current-info.js";
import { serializeError } from "./error-serialize.js";
import { isLeaf } from "./leaf.js";
import { liveThreads } from "./live-threads.js";
import { loadTarget } from "./load-target.js";
import type { ThreadBoot, ThreadOutcome } from "./protocol.js";
import { SignalReceiver } from "./signal-receiver.js";

const boot = workerData as ThreadBoot;
const port = parentPort!;

setSelfInfo({ name: boot.name, ident: threadId, daemon: boot.daemon }, boot.main);

/** The marshal bridge, once this thread loaded it (for its arguments or result); never loaded for an error. */
let loadedBridge: typeof import("./marshal-bridge.js") | undefined;

/** What the target threw, as data: a value that cannot cross is named by the walk when it is loaded. */
function thrownData(error: unknown): ThreadOutcome & { type: "error" } {
  return { type: "error", error: serializeError(error, { marshal: loadedBridge?.marshal }) };
}

async function run(): Promise<ThreadOutcome> {
  // Like a blocked Python thread, a target awaiting something that holds no handle (an Atomics.waitAsync, a
  // promise resolved from another thread) must keep the thread alive rather than let its event loop run dry.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  try {
    const [target, bridge] = await Promise.all([
      loadTarget(boot.target),
      boot.argsEncoded ? import("./marshal-bridge.js") : undefined,
    ]);
    loadedBridge = bridge;
    // Signals cross only inside encoded arguments: the bridge is there whenever a receiver is needed.
    const receiver = boot.signals === undefined ? undefined : new SignalReceiver(boot.signals);
    const args = bridge === undefined ? (boot.args as unknown[]) : bridge.decodeArgs(boot.args, receiver);
    const value = await runWith(boot.context, () => target(...args));
    if (isLeaf(value)) return { type: "result", value, encoded: false };
    loadedBridge ??= await import("./marshal-bridge.js");
    const { encodeResult } = loadedBridge;
    return { type: "result", value: encodeResult(value), encoded: true };
  } catch (error) {
    return thrownData(error);
  } finally {
    clearInterval(keepAlive);
  }
}

function describe(error: unknown): string {
  return error instanceof Error || error instanceof DOMException
    ? `${error.name}: ${error.message}`
    : String(error);
}

/** Resolves once everything written so far to a stream has been passed to the parent thread. */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write("", () => resolve());
  });
}

/** The live non-daemon threads this thread started. */
function nonDaemon(): ReturnType<typeof liveThreads> {
  return liveThreads().filter((child) => !child.daemon);
}

/**
 * Hooks other weft packages register for the end of a thread, on globalThis (shared by every copy): the process
 * pool ends the pools this thread never shut down, so their children are reaped by this thread's event loop
 * (nobody else can reap them once it is gone).
 */
const THREAD_EXIT_HOOKS = Symbol.for("@weft/threads/thread-exit-hooks");

async function exitHooks(): Promise<void> {
  const hooks = (globalThis as { [THREAD_EXIT_HOOKS]?: Set<() => Promise<void>> })[THREAD_EXIT_HOOKS];
  if (hooks === undefined) return;
  await Promise.all(
    [...hooks].map((hook) =>
      Promise.resolve()
        .then(hook)
        .catch(() => {}),
    ),
  );
}

async function main(): Promise<void> {
  const outcome = await run();
  // Non-daemon threads this thread started would die with it; like Python, wait for them first, also for those
  // started while waiting (by a timer or a callback the target left behind), until none is left.
  for (let waiting = nonDaemon(); waiting.length !== 0; waiting = nonDaemon()) {
    for (const child of waiting) await child.join().catch(() => {});
  }
  await exitHooks();
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  try {
    port.postMessage(outcome);
  } catch (error) {
    // The marshal walk passed it, yet structured clone refused it (a Proxy, for one): still a MarshalError.
    const failure =
      outcome.type === "result"
        ? new (await import("@weft/sync")).MarshalError(
            "result",
            `cannot be sent back to the thread that started this one (${describe(error)}); return plain data`,
          )
        : error;
    port.postMessage(thrownData(failure) satisfies ThreadOutcome);
  }
  // The thread ends when its target does, even if the target left timers or handles behind.
  process.exit(0);
}

void main();
