import { BrokenWorkerError } from "@weft/pool";
import { registerErrorClass } from "@weft/sync/extension";

/**
 * A child process of a {@link ProcessPoolExecutor} died (killed by a signal such as SIGKILL, `process.exit`,
 * running out of memory, an uncaught error outside the task) while it had tasks: exactly the tasks sent to
 * that child and not yet reported fail with it; the child is replaced and every other task still runs.
 * It is a {@link BrokenWorkerError}: `exitCode` and `signal` say how the child ended, `cause` holds the
 * child's uncaught error when it reported one (else a description of the exit, with `pid`).
 *
 * @example
 * ```ts
 * const r = await pool.submit(crashy).catch((e) => e);
 * if (r instanceof BrokenProcessError) console.log(r.exitCode, r.signal); // e.g. null "SIGKILL"
 * ```
 */
export class BrokenProcessError extends BrokenWorkerError {
  override name = "BrokenProcessError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  override readonly code: string = "ERR_WEFT_BROKEN_PROCESS";
}

/**
 * Describes how a child process ended; the `cause` of a {@link BrokenProcessError} when the child reported
 * no error of its own (e.g. it was killed by a signal).
 *
 * @example
 * ```ts
 * const e = await pool.submit(task).catch((e) => e);
 * if (e.cause instanceof ChildExitError) console.log(e.cause.pid, e.cause.signal);
 * ```
 */
export class ChildExitError extends Error {
  override name = "ChildExitError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_CHILD_EXIT";
  /** Process id of the child. */
  readonly pid: number | undefined;
  /** Exit code, or null when killed by a signal. */
  readonly exitCode: number | null;
  /** The signal that ended it, or null. */
  readonly signal: string | null;
  constructor(pid: number | undefined, exitCode: number | null, signal: string | null) {
    super(
      `child process ${pid ?? "(not started)"} ${signal ? `was killed by ${signal}` : `exited with code ${exitCode}`}`,
    );
    this.pid = pid;
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/**
 * A {@link ProcessPoolExecutor} was created in a Node single executable application without `execPath`.
 * Its children would run `process.execPath`, which there is the application itself: every child would start
 * the whole application again instead of weft's child entry. Pass `execPath` (a Node binary, e.g. `"node"`
 * found on PATH) or use a ThreadPoolExecutor, whose workers run inside the application.
 *
 * @example
 * ```ts
 * const pool = new ProcessPoolExecutor({ execPath: "node", workerEntry: "/opt/app/process-child.js" });
 * ```
 */
export class SingleExecutableError extends Error {
  override name = "SingleExecutableError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_SINGLE_EXECUTABLE";
}

registerErrorClass(BrokenProcessError, "ERR_WEFT_BROKEN_PROCESS");
registerErrorClass(ChildExitError, "ERR_WEFT_CHILD_EXIT");
registerErrorClass(SingleExecutableError, "ERR_WEFT_SINGLE_EXECUTABLE");
