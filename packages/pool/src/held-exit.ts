/**
 * What `process.exit()` throws in a pool worker (a thread or a child process) when results of finished tasks
 * have not all left it yet: a result waiting for @weft/sync to encode it, or a large message a child's IPC is
 * still writing. Ending the worker at once would lose them, and fail tasks that had returned. The worker
 * exits instead as soon as they have left, with the code it was given (kept in `process.exitCode`); the
 * throw keeps the code after `process.exit()` from running meanwhile, as if the worker had ended there. A
 * task that called it fails with BrokenWorkerError (BrokenProcessError), as if it had ended then; the worker
 * starts no task more. Code that catches everything can tell it by its `code` (the worker entry has its own
 * copy of this class: `instanceof` against one imported from the package does not match).
 *
 * @example
 * ```ts
 * try { cleanup(); process.exit(0); } catch (e) { if ((e as { code?: string }).code === "ERR_WEFT_HELD_EXIT") throw e; }
 * ```
 */
export class HeldExitError extends Error {
  override name = "HeldExitError";
  /** Stable identifier of this error class. */
  readonly code: string = "ERR_WEFT_HELD_EXIT";
  constructor() {
    super(
      "process.exit() was called while results of finished tasks were still being sent: this worker exits " +
        "once they have left, and the code after process.exit() does not run",
    );
  }
}
