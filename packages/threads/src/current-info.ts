import { isMainThread, threadId } from "node:worker_threads";
import type { ThreadInfo } from "./protocol.js";

/**
 * What this thread knows about itself and the main thread. Kept on globalThis under a registered symbol so that
 * every copy of this package loaded in the thread (ESM and CommonJS builds, tsx's scoped imports) agrees.
 */
interface SelfInfo {
  readonly self: ThreadInfo;
  readonly main: ThreadInfo;
}

const KEY = Symbol.for("@weft/threads.self");
const MAIN: ThreadInfo = Object.freeze({ name: "MainThread", ident: 0, daemon: false });

/** Called by the worker entry before the target runs. */
export function setSelfInfo(self: ThreadInfo, main: ThreadInfo): void {
  (globalThis as Record<symbol, unknown>)[KEY] = Object.freeze({ self, main });
}

/**
 * Names the calling worker thread, one that a {@link Thread} did not start (a pool's worker, a worker of your
 * own): `currentThread()` in it then reports this name instead of `Dummy-<threadId>`. Call it in the worker
 * before user code runs.
 *
 * @param name - e.g. `"SpecialPool_0"`, as Python names a pool's threads
 * @param daemon - what `currentThread().daemon` says, and what threads started in it inherit (default true)
 * @throws TypeError in the main thread (it is always "MainThread"), or when `name` is not a string
 * @example
 * ```ts
 * import { nameWorkerThread } from "@weft/threads/extension";
 * nameWorkerThread(`${workerData.prefix}_${workerData.index}`);
 * ```
 */
export function nameWorkerThread(name: string, daemon = true): void {
  if (typeof name !== "string") {
    throw new TypeError(
      `nameWorkerThread(name): name must be a string, got ${name === null ? "null" : typeof name}`,
    );
  }
  if (isMainThread) {
    throw new TypeError("nameWorkerThread(name) is for worker threads: the main thread is always MainThread");
  }
  setSelfInfo({ name, ident: threadId, daemon: daemon === true }, MAIN);
}

/** This thread's identity: set by the worker entry, else the main thread or a worker weft did not start. */
export function selfInfo(): SelfInfo {
  const known = (globalThis as Record<symbol, unknown>)[KEY] as SelfInfo | undefined;
  if (known !== undefined) return known;
  if (isMainThread) return { self: MAIN, main: MAIN };
  // A worker started by other means (a pool, raw worker_threads): Python calls these dummy threads.
  return { self: { name: `Dummy-${threadId}`, ident: threadId, daemon: true }, main: MAIN };
}
