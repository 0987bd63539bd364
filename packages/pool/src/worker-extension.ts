/**
 * @weft/pool/worker-extension: the worker-side half of the extension API, for the entry that a new kind of
 * executor runs in each worker (@weft/process-pool's child is one): the task server and the wire format. It
 * loads none of the executor core, so a worker's module graph stays small; it shares every module with
 * @weft/pool/extension (one build, shared chunks). Not part of the user-facing API.
 *
 * @example
 * ```ts
 * import { serveTasks, wire } from "@weft/pool/worker-extension";
 * void serveTasks(init, { post: (message) => send(message), listen: (handler) => onMessage(handler) });
 * ```
 * @packageDocumentation
 */

export { HeldExitError } from "./held-exit.js";
export { syncIfLoaded } from "./lazy-sync.js";
export * as wire from "./message-codec.js";
export { serveTasks, type TaskEndpoint } from "./task-server.js";
export type { WorkerInit, WorkerSink } from "./transport.js";
