// The one place that reaches into sibling packages: task targets and the error transport from @weft/threads,
// the marshal walk from @weft/sync, context propagation from @weft/local-storage. Everything else in this
// package imports from here, except the worker-side modules: they import worker-interop.ts, the part of this
// that a worker needs, from @weft/threads' worker-side extension (so a worker loads none of the main side).
export { type ContextSnapshot, runWith, snapshot } from "@weft/local-storage";
export { InvalidStateError, marshal, TimeoutError } from "@weft/sync";
export { checkOptionKeys, checkTimeout, listenAbort, unlistenAbort } from "@weft/sync/extension";
export type { ModuleTarget, Target } from "@weft/threads";
export {
  checkResourceLimits,
  checkWorkerEntry,
  describeTarget,
  deserializeError,
  isLeaf,
  isTransportedError,
  locateWorkerEntry,
  startWorker,
  type TargetSpec,
  WorkerEntryError,
  type WorkerEntrySpec,
  withoutMainOnlyFlags,
} from "@weft/threads/extension";

/**
 * Reports an error a worker thread died of between tasks to the threads excepthook, as for a thread nobody
 * joins. @weft/threads' user-facing side (the Thread class, the excepthook) is imported for it on that first
 * failure, as the package itself: the excepthook sees a Thread of the user's own `@weft/threads`.
 */
export function reportWorkerFailure(
  info: { readonly name: string; readonly ident: number },
  error: unknown,
): void {
  import("@weft/threads/extension").then(
    (threads) => threads.reportWorkerFailure(info, error),
    (cannotLoad: unknown) => {
      process.stderr.write(
        `Exception in thread ${info.name} (@weft/threads could not load: ${String(cannotLoad)}):\n`,
      );
      process.stderr.write(`${(error as Error | null)?.stack ?? String(error)}\n`);
    },
  );
}
