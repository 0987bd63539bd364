// @weft/pool/extension: what a new kind of executor builds on (@weft/process-pool is one): the executor core,
// independent of what a worker is; the Transport interface it drives; the worker-side task server; and the wire
// format between them. Users of ThreadPoolExecutor never need it. See the README's "Extension API".

export { type CoreSettings, ExecutorCore } from "./core.js";
export {
  checkWorkerEntry,
  locateWorkerEntry,
  type WorkerEntrySpec,
  withoutMainOnlyFlags,
} from "./interop.js";
/**
 * The wire format between the core and a worker's task server, for transports that need to look into
 * messages (count tasks and results, read the records of a batch). See src/message-codec.ts.
 *
 * @example
 * ```ts
 * import { wire } from "@weft/pool/extension";
 * const tasks = wire.countTasks(batch);
 * ```
 */
export * as wire from "./message-codec.js";
export { checkOptions, optionKeys, resolveExecutorOptions } from "./options.js";
export type { RespawnSettings } from "./respawn-policy.js";
export { serveTasks, type TaskEndpoint } from "./task-server.js";
export type { Transport, WorkerChannel, WorkerInit, WorkerSink } from "./transport.js";
