import { threadId } from "node:worker_threads";

const PID_MOD = 2 ** 22;
const TID_SPAN = 2 ** 31;
const identity = (process.pid % PID_MOD) * TID_SPAN + threadId;

/**
 * A number unique to the calling thread across the process tree (derived from the process id and the
 * worker thread id). Never 0.
 *
 * @example
 * ```ts
 * import { threadIdentity } from "@weft/sync";
 * console.log(threadIdentity()); // e.g. 26418312396800 on the main thread of pid 12302
 * ```
 */
export function threadIdentity(): number {
  return identity;
}

/** @internal The two halves that go into a primitive's id. */
export const identityParts = { pid: process.pid % PID_MOD, tid: threadId } as const;
