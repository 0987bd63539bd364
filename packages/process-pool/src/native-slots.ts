import { createRequire } from "node:module";

/** The part of @weft/native this package uses (it is an optional peer: loaded only if installed). */
interface SharedMemoryLike {
  readonly name: string;
  readonly buffer: SharedArrayBuffer;
  close(): void;
}
interface NativeLike {
  SharedMemory: { create(byteLength: number): SharedMemoryLike };
}

let cached: NativeLike | null | undefined;

/** @weft/native when it is installed and works on this platform, else null (probed once). */
export function loadNative(): NativeLike | null {
  if (cached !== undefined) return cached;
  try {
    // (Not the bare `require`: in the ESM build esbuild turns it into a stub that throws.)
    const req = createRequire(typeof __filename === "string" ? __filename : import.meta.url);
    const native = req("@weft/native") as NativeLike;
    native.SharedMemory.create(64).close(); // the addon loads and shared memory works here
    cached = native;
  } catch {
    cached = null;
  }
  return cached;
}

/**
 * Slot memory shared with a child process: a @weft/native segment whose name the child attaches. The core
 * keeps its SharedArrayBuffer; the name is removed (unlinked) once the child has attached or is gone.
 */
export class SlotSegments {
  readonly #native: NativeLike;
  readonly #byBuffer = new WeakMap<SharedArrayBuffer, SharedMemoryLike>();

  constructor(native: NativeLike) {
    this.#native = native;
  }

  allocate(byteLength: number): SharedArrayBuffer {
    const shm = this.#native.SharedMemory.create(byteLength);
    // The core owns the whole segment from offset 0 (its slot states replace the allocation header,
    // which nothing else uses here): start from zeroes.
    new Uint8Array(shm.buffer).fill(0);
    this.#byBuffer.set(shm.buffer, shm);
    return shm.buffer;
  }

  /** The segment behind a buffer from {@link allocate}, if any. */
  segmentOf(buffer: SharedArrayBuffer | null): SharedMemoryLike | undefined {
    return buffer === null ? undefined : this.#byBuffer.get(buffer);
  }
}
