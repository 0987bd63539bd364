// What travels through Redis between a DistributedExecutor and the workers of its queue (the BullMQ job's
// data and return value) and the cancel channel. Both sides import this file; change both together.
import type { WireTarget } from "./target.js";

/** The version of this format, carried by every job; a worker refuses jobs of another version. */
export const WIRE_VERSION = 1;

/** A job's data (BullMQ stores it as JSON). */
export interface JobData {
  /** {@link WIRE_VERSION}. */
  readonly v: number;
  /** What to run. */
  readonly t: WireTarget;
  /** One call: the encoded argument list. */
  readonly a?: string;
  /** A chunk of calls (map with chunksize > 1): a JSON list of each call's encoded argument list. */
  readonly c?: string;
  /** ms the task may run on the worker (absent: no limit). */
  readonly to?: number;
}

/**
 * A call's outcome once decoded: `[1, result]` or `[0, error]`. A job's return value is the encoded outcome
 * (codec.ts' encodeOutcome: the success flag travels in the payload's flags), or for a chunk the list of its
 * calls' encoded outcomes. A task that throws on its last attempt is an outcome too (the job completes), so
 * the error keeps its class; BullMQ's own "failed" state means the job could not be run at all.
 */
export type Outcome = readonly [ok: 0 | 1, value: unknown];

/** The Redis pub/sub channel on which executors ask workers to abort running jobs (message: the job id). */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:weft:cancel`;
}
