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

/** This thread's identity: set by the worker entry, else the main thread or a worker weft did not start. */
export function selfInfo(): SelfInfo {
  const known = (globalThis as Record<symbol, unknown>)[KEY] as SelfInfo | undefined;
  if (known !== undefined) return known;
  if (isMainThread) return { self: MAIN, main: MAIN };
  // A worker started by other means (a pool, raw worker_threads): Python calls these dummy threads.
  return { self: { name: `Dummy-${threadId}`, ident: threadId, daemon: true }, main: MAIN };
}
