import { Worker } from "node:worker_threads";

/** How often the watcher thread looks at the parent, in ms. */
const WATCH_MS = 200;

/**
 * The part of @weft/native that ends a process with its parent. Absent from older versions: the child then
 * watches its parent with a thread.
 */
export interface ParentDeathLike {
  exitWithParent?(parentPid: number): boolean;
}

/**
 * Makes this child process end when its parent dies, even while a task keeps the main thread busy. Where
 * @weft/native is loaded (it is, for shared slots) and the system can (Linux), the kernel does it: SIGKILL when
 * the parent's thread that started this child ends, nothing to run here. Otherwise a tiny unref'd worker thread
 * polls process.ppid and SIGKILLs its own process once the parent is gone. (An idle child also exits on the IPC
 * channel's "disconnect" event; this covers the busy one.)
 */
export function watchParent(parentPid: number, native?: ParentDeathLike): void {
  if (native?.exitWithParent?.(parentPid) === true) return;
  const source =
    `const parent = ${JSON.stringify(parentPid)};` +
    `setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, "SIGKILL"); }, ${WATCH_MS});`;
  try {
    const watcher = new Worker(source, { eval: true, name: "weft-parent-watch", stdout: true, stderr: true });
    watcher.on("error", () => {});
    watcher.unref();
  } catch {
    // No threads available: an idle child still exits on "disconnect".
  }
}
