// Child process entry (built to dist/process-child.js, exported as "@weft/process-pool/child"): serves the tasks of one child of a ProcessPoolExecutor.
import { HeldExitError, serveTasks, syncIfLoaded, wire } from "@weft/pool/worker-extension";
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

// The parent closed the channel: it retired this child, or it died. Either way there is nothing to do, and
// nothing more can be sent: the exit is immediate (the task server's process.exit() waits for what is being
// sent, see HeldExitError).
const exitNow = process.exit;
process.on("disconnect", () => exitNow.call(process, 0));

// Tell the parent why this process is about to die (Node still prints the error and exits with code 1).
// (An error held back until the results of finished tasks have left, see serveTasks, is thrown again then:
// told once. A process.exit() that waits for what is being sent throws a HeldExitError meanwhile: not told, the
// exit code tells.)
let reported: { error: unknown } | undefined;
process.on("uncaughtExceptionMonitor", (err: unknown) => {
  if ((reported !== undefined && reported.error === err) || err instanceof HeldExitError) return;
  reported = { error: err };
  const e = err instanceof Error ? err : new Error(String(err));
  const report: ChildReport = { uncaught: { name: e.name, message: e.message, stack: e.stack } };
  try {
    if (process.connected) send(report);
  } catch {
    // The channel is gone: the exit code alone tells the story.
  }
});

// Messages sent whose bytes have not all left this process: the IPC channel writes a large one over many turns
// of the event loop, so a task that blocks the loop (until its timeout kills the child) or ends the process
// would take it with it. The task server waits for them before it starts a task (TaskEndpoint.backlog).
let unwritten = 0;
// What one post writes at once (TaskEndpoint.writeLimit): the smallest default send buffer of a Unix socket
// among the platforms weft runs on (macOS: 8 KiB; Linux: about 208 KiB). No task starts before what was sent
// has been written (see backlog), so the socket then has that room unless the parent has not read it yet.
const WRITE_LIMIT = 8 * 1024;
let drained: Promise<void> | undefined;
let onDrained: (() => void) | undefined;
const written = (): void => {
  if (--unwritten !== 0 || onDrained === undefined) return;
  const resolve = onDrained;
  onDrained = drained = undefined;
  resolve();
};
function backlog(): Promise<void> | undefined {
  if (unwritten === 0) return undefined;
  drained ??= new Promise<void>((resolve) => {
    onDrained = resolve;
  });
  return drained;
}

/** Sends a message; a single result that cannot be serialized becomes an error naming its path. */
function post(message: unknown[]): void {
  unwritten++;
  try {
    send!(flatten(message), undefined, undefined, written);
  } catch (err) {
    unwritten--;
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
  // The child must end with its parent before any code of the user's runs (it may keep this thread busy).
  // With shared slots and no preloads (which run before anything else of weft loads), @weft/native loads first
  // and the kernel does it (exitWithParent); otherwise a watcher thread starts now.
  const nativeFirst = slotsFd !== null && preload.length === 0;
  if (!nativeFirst) watchParent(parentPid);
  try {
    for (const spec of preload) await import(/* webpackIgnore: true */ /* @vite-ignore */ spec);
    if (slotsFd !== null) {
      const mapped = await mapInheritedSlots(slotsFd, addonFile, nativeFile);
      if (nativeFirst) watchParent(parentPid, mapped.native);
      slotMemory = { buffer: mapped.buffer };
      init = { ...init, slots: slotMemory.buffer };
    }
  } catch (err) {
    send!(wire.initFailedMessage(err instanceof Error ? err : new Error(String(err))));
    return;
  }
  await serveTasks(init, {
    crossProcess: true,
    post,
    backlog,
    writeLimit: WRITE_LIMIT,
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
