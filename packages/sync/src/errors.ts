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
  /** Where the offending value sits, e.g. `args[1].handler`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path} ${message}`);
    this.path = path;
  }
}
