// Child process entry (built to dist/process-child.js, exported as "@weft/process-pool/child"): serves the tasks of one child of a ProcessPoolExecutor.
import { serveTasks, syncIfLoaded, wire } from "@weft/pool/worker-extension";
import type { ChildReport, ChildStart, ParentOrder } from "./child-protocol.js";
import { findUnsendable } from "./crossing.js";
import { flatten, unflatten } from "./flat-message.js";
import { mapInheritedSlots } from "./native-slots.js";
import { watchParent } from "./parent-watch.js";

const send = process.send?.bind(process);
if (send === undefined) {
  throw new Error(
    "@weft/process-pool's child entry must be started by ProcessPoolExecutor (it needs an IPC channel)",
  );
}

// The parent closed the channel: it retired this child, or it died. Either way there is nothing to do.
process.on("disconnect", () => process.exit(0));

// Tell the parent why this process is about to die (Node still prints the error and exits with code 1).
process.on("uncaughtExceptionMonitor", (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  const report: ChildReport = { uncaught: { name: e.name, message: e.message, stack: e.stack } };
  try {
    if (process.connected) send(report);
  } catch {
    // The channel is gone: the exit code alone tells the story.
  }
});

/** Sends a message; a single result that cannot be serialized becomes an error naming its path. */
function post(message: unknown[]): void {
  try {
    send!(flatten(message));
  } catch (err) {
    // An encoded result means @weft/sync is loaded; a leaf one (sent as it is) has nothing to name.
    const sync = syncIfLoaded();
    if (sync !== undefined && wire.isLoneResult(message)) {
      const named = findUnsendable(sync, wire.resultValue(message, 0), "result");
      if (named !== undefined) throw named;
    }
    throw err;
  }
}

let handler: ((message: unknown[]) => void) | undefined;
const early: unknown[][] = [];
let started = false;

process.on("message", (received: unknown) => {
  if (!started) {
    started = true;
    void start(received as ChildStart);
    return;
  }
  const message = unflatten(received);
  if (message === undefined) {
    if ((received as Partial<ParentOrder> | null)?.leave === true) process.exit(0);
  } else if (handler !== undefined) handler(message);
  else early.push(message);
});

/** Keeps the slot memory mapped for the life of the process. */
let slotMemory: { buffer: SharedArrayBuffer } | undefined;

async function start({
  init,
  slotsFd,
  addonFile,
  nativeFile,
  parentPid,
  preload,
}: ChildStart): Promise<void> {
  // Without preloads (which run before anything else of weft loads), @weft/native's module starts loading now:
  // its files are read while this thread starts the watcher.
  const mapping =
    slotsFd !== null && preload.length === 0 ? mapInheritedSlots(slotsFd, addonFile, nativeFile) : undefined;
  watchParent(parentPid);
  try {
    for (const spec of preload) await import(/* webpackIgnore: true */ /* @vite-ignore */ spec);
    if (slotsFd !== null) {
      slotMemory = { buffer: await (mapping ?? mapInheritedSlots(slotsFd, addonFile, nativeFile)) };
      init = { ...init, slots: slotMemory.buffer };
    }
  } catch (err) {
    send!(wire.initFailedMessage(err instanceof Error ? err : new Error(String(err))));
    return;
  }
  await serveTasks(init, {
    crossProcess: true,
    post,
    listen: (h) => {
      handler = h;
      for (const m of early.splice(0)) h(m);
    },
    onExit: (flush) =>
      process.on("exit", () => {
        if (process.connected) flush();
      }),
  });
}
