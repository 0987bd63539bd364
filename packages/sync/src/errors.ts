import { registerErrorClass } from "./coded-error.js";
import type { Guard } from "./guard.js";
import type { MultiGuard } from "./ordered.js";

/**
 * Thrown when a primitive is used in a way its contract forbids: releasing a Lock that is not locked,
 * releasing a BoundedSemaphore more times than it was acquired, releasing the same guard twice.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * try { lock.release(); } catch (e) { console.log(e instanceof ReleaseError); } // true
 * ```
 */
export class ReleaseError extends Error {
  override name = "ReleaseError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_RELEASE";
}

/**
 * Thrown when a thread releases (or waits on a Condition over) an RLock it does not own, or notifies or
 * waits on a Condition without holding its lock.
 *
 * @example
 * ```ts
 * const rlock = new RLock();
 * try { rlock.release(); } catch (e) { console.log(e instanceof NotOwnerError); } // true
 * ```
 */
export class NotOwnerError extends ReleaseError {
  override name = "NotOwnerError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  override readonly code: string = "ERR_WEFT_NOT_OWNER";
}

/**
 * Thrown by {@link acquireAll}, {@link acquireAllSync} and {@link withLocks} when the caller already holds a
 * lock that sorts at or above one it now asks for: acquiring in that order can deadlock against a thread
 * that asks in ascending order.
 *
 * @example
 * ```ts
 * using _ = acquireAllSync(b);
 * acquireAllSync(a); // throws LockOrderError when a sorts below b
 * ```
 */
export class LockOrderError extends Error {
  override name = "LockOrderError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_LOCK_ORDER";
}

/**
 * Thrown (or rejected) by {@link Barrier.wait} when the barrier is broken: another party timed out or was
 * aborted, {@link Barrier.abort} was called, the action threw, or {@link Barrier.reset} ran while parties
 * were waiting.
 *
 * @example
 * ```ts
 * const barrier = new Barrier(2);
 * barrier.abort();
 * await barrier.wait().catch((e) => console.log(e instanceof BrokenBarrierError)); // true
 * ```
 */
export class BrokenBarrierError extends Error {
  override name = "BrokenBarrierError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_BROKEN_BARRIER";
}

/**
 * Thrown by {@link withLock} and {@link withLocks} when the locks could not be acquired within the timeout.
 * (Plain `acquire({ timeout })` resolves `false` instead, as in Python.)
 *
 * @example
 * ```ts
 * await withLock(lock, work, { timeout: 10 }).catch((e) => console.log(e instanceof TimeoutError));
 * ```
 */
export class TimeoutError extends Error {
  override name = "TimeoutError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_TIMEOUT";
}

/**
 * Thrown by `marshal.encode` / `marshal.decode` for a value that cannot cross a thread boundary. `path`
 * names the offending value, e.g. `args[1].handler`.
 *
 * @example
 * ```ts
 * try { marshal.encode({ f() {} }); } catch (e) { console.log((e as MarshalError).path); } // "value.f"
 * ```
 */
export class MarshalError extends TypeError {
  override name = "MarshalError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_MARSHAL";
  /** Where the offending value sits, e.g. `args[1].handler`. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`${path} ${message}`, options);
    this.path = path;
  }
}

/**
 * A timeout was not a number of milliseconds >= 0 or `Infinity`: negative, NaN, or not a number. Every
 * timeout weft takes (waits, `join`, `Future.result`, `asCompleted`, `map`, pool options) is checked the same
 * way. `Infinity` (or leaving the timeout out) means no limit.
 *
 * @example
 * ```ts
 * try { await event.wait({ timeout: -1 }); } catch (e) { console.log(e instanceof InvalidTimeoutError); } // true
 * ```
 */
export class InvalidTimeoutError extends RangeError {
  override name = "InvalidTimeoutError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_INVALID_TIMEOUT";
  constructor(what: string, value: unknown) {
    let shown: string;
    try {
      shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    } catch {
      shown = Object.prototype.toString.call(value);
    }
    super(`${what} must be a number of milliseconds >= 0 or Infinity (no limit), got ${shown}`);
  }
}

/**
 * An operation met an object in a state that does not allow it (Python's `concurrent.futures.InvalidStateError`):
 * a Future set twice, or `result()` read synchronously from a native job that is still running.
 *
 * @example
 * ```ts
 * import { Future, InvalidStateError } from "@weft/pool";
 * const f = new Future<number>();
 * f.setResult(1);
 * try { f.setResult(2); } catch (e) { console.log(e instanceof InvalidStateError); } // true
 * ```
 */
export class InvalidStateError extends Error {
  override name = "InvalidStateError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_INVALID_STATE";
}

/**
 * Thrown by a primitive's constructor when the `memory` it was given is not all zero bytes: it already holds
 * a primitive (or other data), and creating a new one there would silently reset it (unlock a held Lock,
 * clear a set Event). To use a primitive that already lives in that memory, attach to it with
 * `marshal.decode(marshal.encode(original))` (what threads and pools do for you); to reuse the memory for a
 * new primitive, zero it first.
 *
 * @example
 * ```ts
 * const buffer = new SharedArrayBuffer(Lock.byteLength);
 * new Lock({ memory: { buffer } }).acquireSync();
 * try { new Lock({ memory: { buffer } }); } catch (e) { console.log(e instanceof MemoryInUseError); } // true
 * ```
 */
export class MemoryInUseError extends Error {
  override name = "MemoryInUseError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_MEMORY_IN_USE";
}

/**
 * Thrown (or rejected) by an acquire that got the primitive from a holder that died holding it: a worker
 * thread that exited or was terminated, a pool worker weft stopped, a child process that exited or was
 * killed. The caller now holds the primitive: `guard` is its acquisition (release it when done, or hand it
 * to `using`). The state the primitive protects may be half-updated: repair or discard it before you go on.
 * Ignoring the signal has to be written out (catch it and use `guard`); code that does not expect it fails
 * at the acquire, before it reads that state. `guard` is undefined when thrown by `Condition.wait`, whose
 * caller still holds its own guard. The error crosses threads and processes as its class, without `guard`.
 *
 * @example
 * ```ts
 * let g: Guard;
 * try {
 *   g = (await lock.acquire()) as Guard;
 * } catch (e) {
 *   if (!(e instanceof AbandonedLockError) || e.guard === undefined) throw e;
 *   repairSharedState(); // the previous holder died in the middle of its update
 *   g = e.guard;
 * }
 * using _ = g;
 * ```
 */
export class AbandonedLockError extends Error {
  override name = "AbandonedLockError";
  /** Stable identifier of this error class (survives crossing threads and processes). */
  readonly code: string = "ERR_WEFT_ABANDONED";
  /** The acquisition the caller now holds (undefined from `Condition.wait`, and after crossing a thread). */
  readonly guard: Guard | MultiGuard | undefined;
  /** @internal */
  constructor(message: string, guard?: Guard | MultiGuard) {
    super(message);
    Object.defineProperty(this, "guard", { value: guard, enumerable: false, configurable: true });
  }
}

registerErrorClass(ReleaseError, "ERR_WEFT_RELEASE");
registerErrorClass(AbandonedLockError, "ERR_WEFT_ABANDONED");
registerErrorClass(NotOwnerError, "ERR_WEFT_NOT_OWNER");
registerErrorClass(LockOrderError, "ERR_WEFT_LOCK_ORDER");
registerErrorClass(BrokenBarrierError, "ERR_WEFT_BROKEN_BARRIER");
registerErrorClass(TimeoutError, "ERR_WEFT_TIMEOUT");
registerErrorClass(MarshalError, "ERR_WEFT_MARSHAL");
registerErrorClass(InvalidTimeoutError, "ERR_WEFT_INVALID_TIMEOUT");
registerErrorClass(InvalidStateError, "ERR_WEFT_INVALID_STATE");
registerErrorClass(MemoryInUseError, "ERR_WEFT_MEMORY_IN_USE");
