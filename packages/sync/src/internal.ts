import { createState, type PrimitiveOptions, type SharedState } from "./memory.js";

/** @internal Symbol-keyed members shared between this package's modules; not exported from the index. */
export const kState: unique symbol = Symbol.for("@weft/sync:state");
/** @internal Steps that acquire a lock (a park generator), used by Condition and acquireAll. */
export const kAcquireSteps: unique symbol = Symbol.for("@weft/sync:acquireSteps");
/** @internal Fully releases a lock and returns what kRestore needs to re-establish the hold. */
export const kReleaseAll: unique symbol = Symbol.for("@weft/sync:releaseAll");
/** @internal Re-establishes a hold after kAcquireSteps succeeded (RLock: owner and count). */
export const kRestore: unique symbol = Symbol.for("@weft/sync:restore");
/** @internal true when the calling thread may notify/wait on a Condition over this lock. */
export const kIsHeld: unique symbol = Symbol.for("@weft/sync:isHeld");
/** Node's `util.inspect.custom` (a registered symbol, so no import of node:util is needed). */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");
/** @internal Guard protocol: releases the acquisition a guard proves (see guard.ts). */
export const kReleaseGuard: unique symbol = Symbol.for("@weft/sync:releaseGuard");
/** @internal Guard protocol: whether a guard's acquisition is still current. */
export const kGuardHeld: unique symbol = Symbol.for("@weft/sync:guardHeld");
/** @internal Marks attach mode: the constructor receives existing state instead of creating it. */
export const kAttach: unique symbol = Symbol.for("@weft/sync:attach");

/** @internal Anything that carries shared state. */
export interface HasState {
  readonly [kState]: SharedState;
}

/** @internal Constructor options in attach mode. */
export interface AttachOptions {
  [kAttach]: SharedState;
}

/** @internal */
export function isAttach(o: unknown): o is AttachOptions {
  return typeof o === "object" && o !== null && kAttach in o;
}

/** @internal The state a constructor works on: attached (marshal.decode) or newly created. */
export function stateFor(
  kind: string,
  byteLength: number,
  options: PrimitiveOptions | AttachOptions | undefined,
  known?: ReadonlySet<string>,
): SharedState {
  return isAttach(options) ? options[kAttach] : createState(kind, byteLength, options, known);
}

/** @internal The largest count a state word holds (Semaphore value, Barrier parties). */
export const MAX_COUNT = 0x7fffffff;

/**
 * @internal Validates a count option (Semaphore value and release(n), Barrier parties): an integer from
 * `min` to 2^31 - 1, else a RangeError naming `who` and `what`.
 */
export function checkCount(who: string, what: string, n: unknown, min: number): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > MAX_COUNT) {
    throw new RangeError(`${who}: ${what} must be an integer from ${min} to ${MAX_COUNT}, got ${String(n)}`);
  }
  return n;
}
