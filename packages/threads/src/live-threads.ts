import type { Thread } from "./thread.js";

/**
 * The threads started from this thread that have not ended yet. Its own module so that a Thread's worker entry,
 * which waits for them before it ends, loads none of the starting side (thread.ts and its marshal walk).
 */
export const live = new Set<Thread<any, any>>();

/** The threads started from this thread that have not ended yet. */
export function liveThreads(): Thread[] {
  return [...live] as Thread[];
}
