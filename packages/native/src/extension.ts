/**
 * Extension API of @weft/native for other weft packages (the process pool's slot memory): process-shared
 * memory that has no name, handed to a child process as an inherited file descriptor. Not part of the
 * user-facing API; it may change with any minor version.
 * @packageDocumentation
 */
import { binding, bindingFile, preferBindingFile } from "./binding.js";
import { SharedMemoryError } from "./errors.js";
import { checkByteLength, maxByteLength } from "./names.js";

/** Unnamed process-shared memory and the descriptor that lets a child process map it. */
export interface InheritableMemory {
  /** The mapping in this process. */
  readonly buffer: SharedArrayBuffer;
  /** Close-on-exec descriptor: pass it in `child_process` `stdio`, then close it here (`fs.closeSync`). */
  readonly fd: number;
}

function osError(e: unknown, what: string): never {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== "string") throw e;
  throw new SharedMemoryError(`${(e as Error).message} (${what})`, code, { cause: e });
}

/**
 * Creates zero-filled process-shared memory with no name in /dev/shm (Linux `memfd_create`), so nothing can
 * be left behind however the processes end: it is freed when the last mapping and descriptor are gone.
 * Give `fd` to one child through `stdio` and close it here once the child is spawned.
 *
 * @example
 * ```ts
 * import { closeSync } from "node:fs";
 * import { fork } from "node:child_process";
 * import { createInheritableMemory } from "@weft/native/extension";
 * const { buffer, fd } = createInheritableMemory(4096);
 * const child = fork("child.js", [], { stdio: ["inherit", "inherit", "inherit", "ipc", fd] });
 * closeSync(fd); // the child has its own copy at fd 4
 * ```
 */
export function createInheritableMemory(byteLength: number): InheritableMemory {
  checkByteLength(byteLength, 1);
  try {
    const [buffer, fd] = binding().shmCreateUnnamed(byteLength);
    return { buffer, fd };
  } catch (e) {
    osError(e, "createInheritableMemory");
  }
}

/**
 * Maps the memory behind a descriptor inherited from {@link createInheritableMemory} (in the child). The
 * caller closes the descriptor afterwards; the mapping stays.
 *
 * @example
 * ```ts
 * import { closeSync } from "node:fs";
 * import { mapInheritedMemory } from "@weft/native/extension";
 * const buffer = mapInheritedMemory(4); // stdio slot 4 of the parent's fork()
 * closeSync(4);
 * ```
 */
export function mapInheritedMemory(fd: number): SharedArrayBuffer {
  if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    throw new SharedMemoryError(
      `mapInheritedMemory: fd ${String(fd)} is not a file descriptor number`,
      "EBADF",
    );
  }
  try {
    const buffer = binding().shmMapFd(fd);
    if (buffer.byteLength > maxByteLength)
      throw new SharedMemoryError("inherited memory is too large", "EINVAL");
    return buffer;
  } catch (e) {
    osError(e, "mapInheritedMemory");
  }
}

/**
 * The .node file this process loaded the addon from (loading it first if needed). Pass it to a child's
 * {@link useAddonFile} so that the child does not search the package for it again.
 *
 * @example
 * ```ts
 * import { addonFile } from "@weft/native/extension";
 * const env = { ...process.env, ADDON: addonFile() }; // or put it in the child's start-up message
 * ```
 */
export function addonFile(): string {
  return bindingFile();
}

/**
 * Makes this process load the addon from `file` (what {@link addonFile} returned in the parent) rather than
 * search the package for it (node-gyp-build lists the prebuilds and picks one). Call it before anything else
 * of @weft/native is used; afterwards it has no effect. When `file` is not an absolute .node path or fails to
 * load, the usual search runs, with the same NativeLoadError when nothing loads.
 *
 * @example
 * ```ts
 * import { mapInheritedMemory, useAddonFile } from "@weft/native/extension";
 * useAddonFile(fileFromParent);
 * const buffer = mapInheritedMemory(4);
 * ```
 */
export function useAddonFile(file: string): void {
  preferBindingFile(file);
}

/**
 * Makes the system end this process (SIGKILL) as soon as the thread that started it ends, even while its main
 * thread is busy: Linux's `PR_SET_PDEATHSIG`, with no thread or timer of its own. `parentPid` is the pid the
 * parent had when it started this process: if that parent is already gone (this process was re-parented before
 * the call), this process is killed at once. Returns false where the system cannot do it (not Linux) or the
 * loaded addon predates this function: watch the parent another way then.
 *
 * Pitfall: "the thread that started it" is the parent's thread that called `fork`/`spawn`: a process started
 * from a worker thread ends when that worker thread does.
 *
 * @throws TypeError when `parentPid` is not a positive integer
 * @example
 * ```ts
 * import { exitWithParent } from "@weft/native/extension";
 * if (!exitWithParent(parentPidFromStartMessage)) startWatcherThread();
 * ```
 */
export function exitWithParent(parentPid: number): boolean {
  if (!Number.isInteger(parentPid) || parentPid <= 0) {
    throw new TypeError(
      `exitWithParent(parentPid): parentPid must be a positive integer, got ${String(parentPid)}`,
    );
  }
  return binding().exitWithParent?.(parentPid) ?? false;
}
