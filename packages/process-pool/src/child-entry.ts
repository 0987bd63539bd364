import { locateWorkerEntry, type WorkerEntrySpec } from "@weft/pool/extension";

const PROCESS_CHILD: WorkerEntrySpec = {
  name: "process-child",
  subpath: "@weft/process-pool/child",
  option: "new ProcessPoolExecutor({ workerEntry })",
};
let found: string | undefined;

/**
 * The default entry of pool children: this package's dist/process-child.js, or, in a bundled app, the
 * `process-child.js` written beside the bundle or the main script (bundlers do not follow `fork(url)`), found
 * once. Throws WorkerEntryError saying how to ship it when there is none.
 */
export function defaultChildEntry(): string {
  // Read as a property: a CommonJS bundle of this ES module leaves import.meta empty.
  const here = (import.meta as { url?: string }).url;
  found ??= locateWorkerEntry(PROCESS_CHILD, here, false);
  return found;
}
