import { registerErrorClass } from "@weft/sync/extension";

// InvalidStateError is defined once in @weft/sync (the lowest package that needs it) and re-exported by
// index.ts, not here: this module is in the extension API's graph, which a pool child loads to map its slot
// memory without @weft/sync's user API.
/**
 * The native addon could not be loaded: the platform has no prebuild and no compiled build, or the binary
 * does not fit this Node.js. The message names the platform and says how to build.
 *
 * @example
 * ```ts
 * import { NativeLoadError, sha256 } from "@weft/native";
 * try {
 *   await sha256(new Uint8Array(8));
 * } catch (e) {
 *   if (e instanceof NativeLoadError) console.error(e.message, e.platform);
 * }
 * ```
 */
export class NativeLoadError extends Error {
  override name = "NativeLoadError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_NATIVE_LOAD";
  /** `<platform>-<arch>` of this process, e.g. `linux-x64`. */
  readonly platform: string;
  constructor(message: string, platform: string, options?: { cause?: unknown }) {
    super(message, options);
    this.platform = platform;
  }
}

/**
 * An operating-system call on shared memory failed (e.g. the segment does not exist any more, or /dev/shm
 * is full). `code` is the errno name (`ENOENT`, `EEXIST`, `ENOSPC`, ...).
 *
 * @example
 * ```ts
 * import { SharedMemory, SharedMemoryError } from "@weft/native";
 * try {
 *   SharedMemory.attach("weft-gone");
 * } catch (e) {
 *   if (e instanceof SharedMemoryError && e.errno === "ENOENT") console.log("already closed");
 * }
 * ```
 */
export class SharedMemoryError extends Error {
  override name = "SharedMemoryError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_SHARED_MEMORY";
  /** errno name reported by the kernel, e.g. `ENOENT`. */
  readonly errno: string;
  constructor(message: string, errno: string, options?: { cause?: unknown }) {
    super(message, options);
    this.errno = errno;
  }
}

/**
 * A shared memory name is not acceptable: names are 1-200 characters of `A-Z a-z 0-9 . _ -`, starting
 * with a letter or digit, so they can never contain a path.
 *
 * @example
 * ```ts
 * import { SharedMemory, SharedMemoryNameError } from "@weft/native";
 * try {
 *   SharedMemory.create(4096, { name: "../etc" });
 * } catch (e) {
 *   console.log(e instanceof SharedMemoryNameError); // true
 * }
 * ```
 */
export class SharedMemoryNameError extends TypeError {
  override name = "SharedMemoryNameError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_SHARED_MEMORY_NAME";
}

/**
 * A size is out of range: a segment size that is not an integer in the allowed range, or an allocation
 * that no longer fits in the segment.
 *
 * @example
 * ```ts
 * import { SharedMemory, SharedMemorySizeError } from "@weft/native";
 * try {
 *   SharedMemory.create(-1);
 * } catch (e) {
 *   console.log(e instanceof SharedMemorySizeError); // true
 * }
 * ```
 */
export class SharedMemorySizeError extends RangeError {
  override name = "SharedMemorySizeError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_SHARED_MEMORY_SIZE";
}

registerErrorClass(NativeLoadError, "ERR_WEFT_NATIVE_LOAD");
registerErrorClass(SharedMemoryError, "ERR_WEFT_SHARED_MEMORY");
registerErrorClass(SharedMemoryNameError, "ERR_WEFT_SHARED_MEMORY_NAME");
registerErrorClass(SharedMemorySizeError, "ERR_WEFT_SHARED_MEMORY_SIZE");
