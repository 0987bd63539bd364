import { registerMemoryProvider } from "@weft/sync";
import { futexWaiter } from "./futex-waiter.js";
import { checkName } from "./names.js";
import { attachBuffer, mappingOf } from "./shared-memory.js";

/** What crosses a process boundary instead of the SharedArrayBuffer: the segment's name. */
interface Description {
  name: string;
  /** Which segment the name denoted ("<dev>:<ino>"); absent from older senders. */
  key?: string;
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
    return mappingOf(buffer) !== undefined;
  },
  describe(buffer: SharedArrayBuffer): Description {
    const mapping = mappingOf(buffer);
    if (mapping === undefined) throw new TypeError("this SharedArrayBuffer is not process-shared memory");
    return { name: mapping.name, key: mapping.key };
  },
  attach(description: unknown): SharedArrayBuffer {
    const { name, key } = (description ?? {}) as Partial<Description>;
    return attachBuffer(checkName(name), typeof key === "string" ? key : undefined);
  },
  waiter: futexWaiter,
};

const registered = Symbol.for("@weft/native/provider-registered");

/**
 * Registers {@link processSharedMemory} with the copy of @weft/sync this copy of @weft/native imports. Every
 * copy registers (ESM and CJS builds may both be loaded, each with its own @weft/sync): the registration
 * replaces an equal one, and @weft/sync shares its provider table between its copies, so primitives in
 * shared memory cross whichever copies are loaded, in whatever order. The flag on globalThis tells other
 * packages (the process pool) that this thread uses @weft/native.
 */
export function registerProvider(): void {
  registerMemoryProvider(processSharedMemory);
  (globalThis as { [registered]?: boolean })[registered] = true;
}
