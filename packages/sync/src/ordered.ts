import { AsyncLocalStorage } from "node:async_hooks";
import { AbandonedLockError, LockOrderError, ReleaseError, TimeoutError } from "./errors.js";
import type { Guard } from "./guard.js";
import { kAcquireSteps, kGuardHeld, kState } from "./internal.js";
import type { Lock } from "./lock.js";
import { deadlineOf, signalOf, type WaitOptions } from "./park.js";
import type { RLock } from "./rlock.js";
import type { Semaphore } from "./semaphore.js";

/** A lock that takes part in ordered acquisition: it has a stable id in shared memory. */
export type OrderedLock = Lock | RLock;

// Per thread (each worker has its own globals), shared by every copy of this package loaded in the thread
// (ESM and CommonJS builds): locks held through acquireAllSync, and the per-task scope of withLocks.
const TRACKING = Symbol.for("@weft/sync:lock-order-tracking");
type Tracking = { threadHeld: bigint[]; scope: AsyncLocalStorage<bigint[]> };
const g = globalThis as { [TRACKING]?: Tracking };
if (g[TRACKING] === undefined) g[TRACKING] = { threadHeld: [], scope: new AsyncLocalStorage<bigint[]>() };
const { threadHeld, scope } = g[TRACKING];

/** Lock or RLock, also from another copy of this package (ESM and CommonJS builds in one thread). */
function isOrdered(l: unknown): l is OrderedLock {
  return (
    typeof l === "object" && l !== null && kState in l && typeof (l as Lock)[kAcquireSteps] === "function"
  );
}

function keyOf(lock: OrderedLock): bigint {
  return lock[kState].orderKey;
}

function sorted(who: string, locks: OrderedLock[]): OrderedLock[] {
  if (locks.length === 0) throw new TypeError(`${who}: pass at least one lock`);
  for (const [i, l] of locks.entries()) {
    if (!isOrdered(l)) {
      throw new TypeError(`${who}: argument ${i} is not a Lock or RLock from @weft/sync`);
    }
  }
  const out = [...locks].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  for (let i = 1; i < out.length; i++) {
    if (keyOf(out[i]!) === keyOf(out[i - 1]!)) {
      throw new TypeError(`${who}: the same lock was passed twice; acquiring it twice would deadlock`);
    }
  }
  return out;
}

function checkOrder(who: string, locks: OrderedLock[]): void {
  const first = keyOf(locks[0]!);
  const held = scope.getStore();
  for (const list of held === undefined ? [threadHeld] : [threadHeld, held]) {
    for (const k of list) {
      if (k >= first) {
        throw new LockOrderError(
          `${who}: lock order violation: a lock ordered at or after one requested is already held. ` +
            "Acquire every lock you need in one acquireAll/withLocks call, or release the held ones first.",
        );
      }
    }
  }
}

function remove(list: bigint[], keys: bigint[]): void {
  for (const k of keys) {
    const i = list.lastIndexOf(k);
    if (i >= 0) list.splice(i, 1);
  }
}

/**
 * The guard of an {@link acquireAll} / {@link acquireAllSync}: releases every lock, in reverse order.
 * Like a {@link Guard} it releases once: a second release, or a release after one of its locks was
 * released by other means, throws {@link ReleaseError} and releases nothing.
 *
 * @example
 * ```ts
 * using _ = acquireAllSync(a, b);
 * ```
 */
export class MultiGuard {
  readonly #guards: Guard[];
  readonly #keys: bigint[];
  readonly #held: bigint[] | undefined;
  #released = false;
  /** @internal */
  constructor(guards: Guard[], keys: bigint[], held: bigint[] | undefined) {
    this.#guards = guards;
    this.#keys = keys;
    this.#held = held;
  }
  /**
   * Releases every lock, last acquired first. Throws {@link ReleaseError}, releasing nothing, on a second
   * call or if one of the locks was released by other means (the others then stay held: release them with
   * `lock.release()`; the thread's lock-order tracking forgets this acquisition).
   *
   * @example
   * ```ts
   * const g = acquireAllSync(a, b);
   * g.release();
   * ```
   */
  release(): void {
    if (this.#released) throw new ReleaseError("MultiGuard.release: these locks were already released");
    this.#released = true;
    // This acquisition is over either way: the thread's lock-order tracking forgets it.
    if (this.#held !== undefined) remove(this.#held, this.#keys);
    const guards = this.#guards;
    for (const g of guards) {
      if (!g[kGuardHeld]()) {
        throw new ReleaseError(
          "MultiGuard.release: one of these locks was already released by other means, so this guard " +
            "releases none of them; release the ones you still hold through lock.release()",
        );
      }
    }
    for (let i = guards.length - 1; i >= 0; i--) guards[i]!.release();
  }
  /**
   * Same as {@link MultiGuard.release}; called by `using`.
   *
   * @example
   * ```ts
   * { using _ = acquireAllSync(a, b); }
   * ```
   */
  [Symbol.dispose](): void {
    this.release();
  }
  /**
   * Same as {@link MultiGuard.release}; called by `await using`.
   *
   * @example
   * ```ts
   * { await using _ = await acquireAll(a, b); }
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}

/**
 * Acquires several locks, blocking the thread, always in ascending order of their stable ids (kept in
 * shared memory, hence the same in every thread): two threads asking for the same locks in opposite orders
 * cannot deadlock. Throws {@link LockOrderError} if this thread already holds (through acquireAllSync) a
 * lock that sorts at or after the first requested one (the recipe 12.5 rule).
 *
 * @example
 * ```ts
 * using _ = acquireAllSync(yLock, xLock); // takes them in id order
 * ```
 */
export function acquireAllSync(...locks: OrderedLock[]): MultiGuard {
  const order = sorted("acquireAllSync", locks);
  checkOrder("acquireAllSync", order);
  const guards: Guard[] = [];
  let abandoned = false;
  for (const l of order) {
    try {
      guards.push(l.acquireSync() as Guard);
    } catch (e) {
      abandoned = took(e, guards);
    }
  }
  const keys = order.map(keyOf);
  threadHeld.push(...keys);
  return finish(new MultiGuard(guards, keys, threadHeld), abandoned);
}

/**
 * A lock of acquireAll failed with `e`: an AbandonedLockError's guard joins the others (all are taken, the
 * caller is told at the end); any other error releases what was taken and is rethrown.
 */
function took(e: unknown, guards: Guard[]): true {
  if (e instanceof AbandonedLockError && e.guard !== undefined) {
    guards.push(e.guard as Guard);
    return true;
  }
  for (let i = guards.length - 1; i >= 0; i--) guards[i]!.release();
  throw e;
}

function finish(g: MultiGuard, abandoned: boolean): MultiGuard {
  if (!abandoned) return g;
  throw new AbandonedLockError(
    "acquireAll: at least one of these locks was held by a thread or process that died; you hold them all " +
      "now (error.guard, a MultiGuard), but the state they protect may be half-updated: repair it, then release",
    g,
  );
}

/**
 * Acquires several locks without blocking the thread, in ascending id order (see {@link acquireAllSync}).
 * Inside a {@link withLocks} scope the held locks are tracked per task, and asking for a lower-ordered lock
 * throws {@link LockOrderError}; outside any scope only locks held through acquireAllSync are checked.
 *
 * @example
 * ```ts
 * await using _ = await acquireAll(xLock, yLock);
 * ```
 */
export async function acquireAll(...locks: OrderedLock[]): Promise<MultiGuard> {
  const order = sorted("acquireAll", locks);
  checkOrder("acquireAll", order);
  const guards: Guard[] = [];
  let abandoned = false;
  for (const l of order) {
    try {
      guards.push((await l.acquire()) as Guard);
    } catch (e) {
      abandoned = took(e, guards);
    }
  }
  const keys = order.map(keyOf);
  const held = scope.getStore();
  held?.push(...keys);
  return finish(new MultiGuard(guards, keys, held), abandoned);
}

/** Takes every lock of `order` in turn; returns their guards (on a failure, releases those taken and throws). */
async function takeAll(
  who: string,
  order: OrderedLock[],
  options: WaitOptions | undefined,
): Promise<Guard[]> {
  const deadline = deadlineOf(who, options);
  const signal = signalOf(who, options);
  const guards: Guard[] = [];
  try {
    for (const l of order) {
      const remaining = deadline - performance.now();
      const got = await l.acquire(
        deadline === Number.POSITIVE_INFINITY ? { signal } : { timeout: Math.max(0, remaining), signal },
      );
      if (got === false)
        throw new TimeoutError(`${who}: could not acquire the locks within ${options?.timeout} ms`);
      guards.push(got);
    }
  } catch (e) {
    for (let i = guards.length - 1; i >= 0; i--) guards[i]!.release();
    throw e;
  }
  return guards;
}

/**
 * Releases what `guards` hold, last taken first. A guard whose acquisition was already released (by `fn`,
 * through `lock.release()`) releases nothing, so a holder that took the lock since keeps it; the others are
 * still released, then that misuse is thrown (ReleaseError).
 */
function releaseAll(who: string, guards: Guard[]): void {
  let stale: unknown;
  for (let i = guards.length - 1; i >= 0; i--) {
    const g = guards[i]!;
    if (g[kGuardHeld]()) g.release();
    else {
      stale ??= new ReleaseError(
        `${who}: a lock it took was released inside fn (by lock.release()), so ${who} did not release it ` +
          `again (it may belong to someone else now); let ${who} release it, or take it with acquire() and a ` +
          "guard instead",
      );
    }
  }
  if (stale !== undefined) throw stale;
}

/**
 * Runs `fn` holding all `locks` (taken in ascending id order), then releases them, even if `fn` throws.
 * Nested calls inside `fn` are checked per task: asking for a lock ordered below one held throws
 * {@link LockOrderError}. Rejects with {@link TimeoutError} if the locks are not all acquired in
 * `options.timeout` ms (none stays held).
 *
 * @example
 * ```ts
 * await withLocks([xLock, yLock], async () => { transfer(x, y); });
 * ```
 */
export async function withLocks<R>(
  locks: OrderedLock[],
  fn: () => R | Promise<R>,
  options?: WaitOptions,
): Promise<Awaited<R>> {
  if (!Array.isArray(locks)) throw new TypeError("withLocks: locks must be an array of Lock or RLock");
  if (typeof fn !== "function") throw new TypeError("withLocks: fn must be a function");
  const order = sorted("withLocks", locks);
  checkOrder("withLocks", order);
  const guards = await takeAll("withLocks", order, options);
  try {
    return await scope.run([...(scope.getStore() ?? []), ...order.map(keyOf)], fn);
  } finally {
    releaseAll("withLocks", guards);
  }
}

/**
 * Runs `fn` holding `lock` (a Lock, RLock, Semaphore or BoundedSemaphore), then releases it, even if `fn`
 * throws. Lock and RLock take part in ordered-locking checks like {@link withLocks}. Rejects with
 * {@link TimeoutError} if the lock is not acquired within `options.timeout` ms.
 *
 * @example
 * ```ts
 * await withLock(lock, async () => { counter.value += 1; });
 * ```
 */
export async function withLock<R>(
  lock: OrderedLock | Semaphore,
  fn: () => R | Promise<R>,
  options?: WaitOptions,
): Promise<Awaited<R>> {
  if (isOrdered(lock)) return withLocks([lock], fn, options);
  if (typeof (lock as Partial<Semaphore>)?.acquire !== "function") {
    throw new TypeError("withLock: lock must be a Lock, RLock, Semaphore or BoundedSemaphore");
  }
  const g: Guard | false = await lock.acquire(options);
  if (g === false) throw new TimeoutError(`withLock: could not acquire within ${options?.timeout} ms`);
  try {
    return await fn();
  } finally {
    releaseAll("withLock", [g]);
  }
}
