/**
 * @weft/native: process-shared memory and a process-shared futex so `@weft/sync` primitives work across
 * processes (Python's `multiprocessing.Lock`), and C++ work on libuv's pool while the event loop stays free
 * (recipe 12.9: C extensions that release the GIL). Importing it registers the memory provider with
 * `@weft/sync`; the addon itself loads on first use.
 * @packageDocumentation
 */
import { registerProvider } from "./provider.js";

// Defined once in @weft/sync (the lowest package that needs it) and re-exported here.
export { InvalidStateError } from "@weft/sync";
export {
  NativeLoadError,
  SharedMemoryError,
  SharedMemoryNameError,
  SharedMemorySizeError,
} from "./errors.js";
export { futexWaiter } from "./futex-waiter.js";
export { NativeFuture, type NativeTiming } from "./native-future.js";
export {
  type BinaryInput,
  fnv1a64,
  type NativeKernel,
  nativeJobStats,
  runNative,
  runNativeSync,
  sha256,
} from "./native-work.js";
export { processSharedMemory } from "./provider.js";
export { type Placement, SharedMemory } from "./shared-memory.js";

registerProvider();
