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
): SharedState {
  return isAttach(options) ? options[kAttach] : createState(kind, byteLength, options);
}
