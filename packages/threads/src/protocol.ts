import type { ContextSnapshot } from "@weft/local-storage";
import type { TargetSpec } from "./describe-target.js";
import type { TransportedError } from "./error-serialize.js";
import type { SignalChannel } from "./signal-bridge.js";

/** Identity of a thread as other threads see it. */
export interface ThreadInfo {
  readonly name: string;
  readonly ident: number;
  readonly daemon: boolean;
}

/** The worker's `workerData`: everything a thread needs to run its target. */
export interface ThreadBoot {
  readonly target: TargetSpec;
  /** The argument list: marshal-encoded when `argsEncoded`, else as given (every argument a leaf, see leaf.ts). */
  readonly args: unknown;
  readonly argsEncoded: boolean;
  readonly context: ContextSnapshot | undefined;
  readonly name: string;
  readonly daemon: boolean;
  /** The process's main thread, so `mainThread()` works in nested threads too. */
  readonly main: ThreadInfo;
  readonly signals: SignalChannel | undefined;
}

/** The one message a thread posts before it ends. */
export type ThreadOutcome =
  /** `encoded`: `value` is marshal-encoded (else the result is a leaf, sent as it is). */
  | { readonly type: "result"; readonly value: unknown; readonly encoded: boolean }
  | { readonly type: "error"; readonly error: TransportedError };
