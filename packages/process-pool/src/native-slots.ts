import { closeSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";
import type { ParentDeathLike } from "./parent-watch.js";

/** The part of @weft/native this package uses (it is an optional peer: loaded only if installed). */
interface NativeLike extends ParentDeathLike {
  createInheritableMemory(byteLength: number): { buffer: SharedArrayBuffer; fd: number };
  mapInheritedMemory(fd: number): SharedArrayBuffer;
  /** Absent from older versions of @weft/native (as is useAddonFile): the child then searches for the addon. */
  addonFile?(): string;
  useAddonFile?(file: string): void;
}

let cached: NativeLike | null | undefined;

/** A require() for this module (to load @weft/native/extension synchronously, in a constructor). */
function ownRequire(): NodeJS.Require {
  // (Not the bare `require`: in the ESM build esbuild turns it into a stub that throws.)
  // Not __filename (tsup's ESM shim of it throws at load in a CommonJS bundle, whose import.meta is empty).
  return createRequire((import.meta as { url?: string }).url ?? join(process.cwd(), "noop.js"));
}

function requireNative(): NativeLike {
  return ownRequire()("@weft/native/extension") as NativeLike;
}

/**
 * The file of @weft/native/extension for a child to import by path (no package lookup before its first task):
 * its ES module build where this module is one (resolved as the child's own import would), else the CommonJS
 * file this process required. Null when it cannot be said (a bundle).
 */
function nativeFileForChildren(): string | null {
  try {
    const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
    if (typeof resolve === "function") return fileURLToPath(resolve("@weft/native/extension"));
    return ownRequire().resolve("@weft/native/extension");
  } catch {
    return null;
  }
}

/**
 * Closes a descriptor @weft/native created. In a worker thread Node tracks the descriptors opened there through
 * node:fs and warns on stderr ("File descriptor N closed but not opened in unmanaged mode") when another one is
 * closed; this descriptor is ours to close, so that one warning, emitted synchronously by `closeSync`, is dropped.
 */
function closeAddonFd(fd: number): void {
  if (isMainThread) {
    closeSync(fd);
    return;
  }
  const expected = `File descriptor ${fd} closed but not opened in unmanaged mode`;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    if (warning === expected) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    closeSync(fd);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** @weft/native's extension API when it is installed and works on this platform, else null (probed once). */
export function loadNative(): NativeLike | null {
  if (cached !== undefined) return cached;
  try {
    const native = requireNative();
    closeAddonFd(native.createInheritableMemory(64).fd); // the addon loads and shared memory works here
    cached = native;
  } catch (err) {
    failure = err;
    cached = null;
  }
  return cached;
}

let failure: unknown;

/**
 * Why {@link loadNative} returned null: undefined when @weft/native is not installed, else what loading it or
 * its first allocation threw (the addon does not load here, the platform lacks process-shared memory, ...).
 */
export function nativeFailure(): unknown {
  const code = (failure as { code?: unknown } | null | undefined)?.code;
  return code === "MODULE_NOT_FOUND" && String((failure as Error).message).includes("@weft/native")
    ? undefined
    : failure;
}

/**
 * Slot memory shared with a child process. It has no name (memfd): the child inherits a descriptor (the one after
 * its stdio and IPC channel) and maps it, and the parent closes its copy as soon as the child is spawned. So the pool's
 * own memory can never be left in /dev/shm, whether the parent or the child exits, crashes or is killed
 * with SIGKILL at any moment (even while children are starting): it is freed with its last mapping.
 */
export class SlotSegments {
  readonly #native: NativeLike;
  readonly #fds = new WeakMap<SharedArrayBuffer, number>();
  /** The addon file this process loaded: the child loads it as it is, without searching for it. */
  readonly addonFile: string | null;

  /** See nativeFileForChildren. */
  readonly nativeFile: string | null;

  constructor(native: NativeLike) {
    this.#native = native;
    this.addonFile = native.addonFile?.() ?? null;
    this.nativeFile = nativeFileForChildren();
  }

  /** Zero-filled slot memory for one child; its descriptor waits for {@link handOver}. */
  allocate(byteLength: number): SharedArrayBuffer {
    const { buffer, fd } = this.#native.createInheritableMemory(byteLength);
    this.#fds.set(buffer, fd);
    return buffer;
  }

  /**
   * The descriptor to give the child that uses `buffer` (a buffer from {@link allocate}), with `close()` to
   * call once the child is spawned (or failed to spawn); undefined for any other buffer.
   */
  handOver(buffer: SharedArrayBuffer | null): { fd: number; close(): void } | undefined {
    const fd = buffer === null ? undefined : this.#fds.get(buffer);
    if (fd === undefined) return undefined;
    this.#fds.delete(buffer!);
    return { fd, close: () => closeAddonFd(fd) };
  }
}

/**
 * In the child: maps the slot memory inherited at `fd` and closes the descriptor; also returns @weft/native,
 * loaded for it (the child then ends with its parent through it: parent-watch.ts). `addonFile` is the parent's
 * {@link SlotSegments.addonFile}: loading it directly saves the search for it (~3 ms of the child's start).
 */
export async function mapInheritedSlots(
  fd: number,
  addonFile: string | null,
  nativeFile: string | null,
): Promise<{ buffer: SharedArrayBuffer; native: ParentDeathLike }> {
  try {
    const native = await importNative(nativeFile);
    if (addonFile !== null) native.useAddonFile?.(addonFile);
    return { buffer: native.mapInheritedMemory(fd), native };
  } finally {
    closeSync(fd);
  }
}

const NATIVE_EXTENSION = "@weft/native/extension";

/**
 * @weft/native in the child: its ES module build, which shares @weft/sync with the child's other modules (the
 * CommonJS build would load a second copy of @weft/sync, ~7 ms of the child's start). It is required as the
 * parent required it when the ES module resolution cannot find it (only require() reads NODE_PATH) and in a
 * CommonJS bundle (no import.meta). The specifier is a variable so that bundlers leave it alone.
 */
async function importNative(file: string | null): Promise<NativeLike> {
  if (file !== null && isAbsolute(file) && existsSync(file)) {
    if (file.endsWith(".cjs")) return ownRequire()(file) as NativeLike;
    return (await import(
      /* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(file).href
    )) as NativeLike;
  }
  if ((import.meta as { url?: string }).url === undefined) return requireNative();
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ NATIVE_EXTENSION)) as NativeLike;
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code !== "ERR_MODULE_NOT_FOUND") throw err;
    return requireNative();
  }
}
