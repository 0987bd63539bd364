import type { WorkerInit } from "@weft/pool/extension";

/** The first message a child receives: what it needs to start serving tasks. */
export interface ChildStart {
  /** The worker's init, with `slots` null (a SharedArrayBuffer cannot cross; see `slotsFd`). */
  init: WorkerInit;
  /** Inherited descriptor of the (unnamed) slot memory, or null when tasks are not tracked by it. */
  slotsFd: number | null;
  /** The parent's @weft/native addon file, loaded as it is to map the slots (null: search for it). */
  addonFile: string | null;
  /** The @weft/native extension module the parent loaded (a path), imported by path: no package lookup. */
  nativeFile: string | null;
  /** The pool's process id: the child ends when its parent is no longer this process. */
  parentPid: number;
  /** Modules imported before the initializer runs (e.g. "@weft/native" to decode its primitives). */
  preload: string[];
}

/** Child -> parent, outside the task protocol (an object, where task messages are arrays). */
export interface ChildReport {
  /** The child's uncaught error, sent just before it dies. */
  uncaught: { name: string; message: string; stack: string | undefined };
}

/** Parent -> child, outside the task protocol: leave now (the child is idle). */
export interface ParentOrder {
  leave: true;
}

/** Rebuilds the error of a {@link ChildReport}. */
export function reportedError(report: ChildReport): Error {
  const r = report.uncaught;
  const err = new Error(r.message);
  Object.defineProperty(err, "name", { value: r.name, configurable: true, writable: true });
  if (r.stack !== undefined) err.stack = r.stack;
  return err;
}
