import { providerOf } from "./memory.js";

/** @internal What to do instead of sending thread-shared memory to another process. */
export const SHARED_HINT =
  "memory shared between threads cannot cross processes; place shared state in @weft/native's " +
  "SharedMemory (e.g. new Lock(shm.place(Lock))) and pass that, or pass plain data";

/**
 * @internal Why `v` cannot be sent to another process intact, or undefined: a SharedArrayBuffer, or a view
 * over one, would arrive as a copy (or not at all), so writes would no longer be shared.
 */
export function sharedBufferProblem(v: object): string | undefined {
  let buffer: SharedArrayBuffer;
  let what: string;
  if (v instanceof SharedArrayBuffer) {
    buffer = v;
    what = "a SharedArrayBuffer";
  } else if (ArrayBuffer.isView(v) && v.buffer instanceof SharedArrayBuffer) {
    buffer = v.buffer;
    what = `a ${v.constructor.name} over a SharedArrayBuffer`;
  } else return undefined;
  const provider = providerOf(buffer);
  if (provider !== undefined) {
    return (
      `is ${what} of memory provider "${provider.name}": raw buffers cannot cross processes; send what ` +
      "the other process needs to attach the memory (e.g. a SharedMemory's name), or primitives placed in it"
    );
  }
  return v === buffer
    ? `is ${what}: ${SHARED_HINT}`
    : `is ${what}: a child process would get a copy, so writes would not be shared; ${SHARED_HINT}`;
}
