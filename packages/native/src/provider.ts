import { registerMemoryProvider } from "@weft/sync";
import { futexWaiter } from "./futex-waiter.js";
import { checkName } from "./names.js";
import { attachBuffer, nameOf } from "./shared-memory.js";

/** What crosses a process boundary instead of the SharedArrayBuffer: the segment's name. */
interface Description {
  name: string;
}

/**
 * The `@weft/sync` memory provider for {@link SharedMemory}: marshal sends a primitive placed in a segment
 * as `{ name }` (cloneable through `child_process` IPC) and the receiving process re-attaches the segment
 * and uses {@link futexWaiter}. Registered when `@weft/native` is imported; exported for inspection.
 *
 * @example
 * ```ts
 * import { processSharedMemory, SharedMemory } from "@weft/native";
 * const shm = SharedMemory.create(4096);
 * console.log(processSharedMemory.owns(shm.buffer)); // true
 * ```
 */
export const processSharedMemory = {
  name: "@weft/native/posix-shm",
  owns(buffer: SharedArrayBuffer): boolean {
    return nameOf(buffer) !== undefined;
  },
  describe(buffer: SharedArrayBuffer): Description {
    const name = nameOf(buffer);
    if (name === undefined) throw new TypeError("this SharedArrayBuffer is not process-shared memory");
    return { name };
  },
  attach(description: unknown): SharedArrayBuffer {
    const name = (description as Partial<Description> | null)?.name;
    return attachBuffer(checkName(name));
  },
  waiter: futexWaiter,
};

const registered = Symbol.for("@weft/native/provider-registered");

/** Registers {@link processSharedMemory} with @weft/sync once per thread (both module formats share it). */
export function registerProvider(): void {
  const g = globalThis as { [registered]?: boolean };
  if (g[registered]) return;
  g[registered] = true;
  registerMemoryProvider(processSharedMemory);
}
