export { Barrier, type BarrierOptions } from "./barrier.js";
export { Condition } from "./condition.js";
export {
  AbandonedLockError,
  BrokenBarrierError,
  InvalidStateError,
  InvalidTimeoutError,
  LockOrderError,
  MarshalError,
  MemoryInUseError,
  NotOwnerError,
  ReleaseError,
  TimeoutError,
} from "./errors.js";
export { Event } from "./event.js";
export { Guard, type Releasable } from "./guard.js";
export { threadIdentity } from "./identity.js";
export { Lock } from "./lock.js";
export {
  type DecodeOptions,
  type EncodeOptions,
  type Marshaller,
  marshal,
  registerMarshaller,
} from "./marshal.js";
export {
  type MemoryProvider,
  type PrimitiveOptions,
  registerMemoryProvider,
  type SharedMemory,
} from "./memory.js";
export { acquireAll, acquireAllSync, MultiGuard, type OrderedLock, withLock, withLocks } from "./ordered.js";
export type { WaitOptions } from "./park.js";
export { RLock } from "./rlock.js";
export { BoundedSemaphore, Semaphore } from "./semaphore.js";
export { atomicsWaiter, type Waiter, type WaitResult } from "./waiter.js";
