// What runs on a thread just before a primitive blocks it (Atomics.wait or a futex): a pool worker sends the
// results it holds for a batch, so that a task blocked waiting for what those results let another thread do
// next is not waiting for itself. One hook per thread, on globalThis so that every copy of @weft/sync (ESM and
// CommonJS builds, a bundled worker entry) calls the one the task server set.

import { kindOf } from "./option-names.js";

const kBeforeBlocking: unique symbol = Symbol.for("@weft/sync:beforeBlocking");
type Hooked = { [kBeforeBlocking]?: () => void };

/**
 * Sets the function every blocking wait of a primitive on this thread calls before it blocks (extension API:
 * the task server of a pool worker sends its held results there); `undefined` removes it. It must not block
 * or throw, and it runs before each park of a wait (a wait may park more than once).
 *
 * @example
 * ```ts
 * import { setBeforeBlocking } from "@weft/sync/extension";
 * setBeforeBlocking(() => sendHeldResults());
 * ```
 */
export function setBeforeBlocking(hook: (() => void) | undefined): void {
  if (hook !== undefined && typeof hook !== "function") {
    throw new TypeError(`setBeforeBlocking(hook): hook must be a function or undefined, got ${kindOf(hook)}`);
  }
  (globalThis as Hooked)[kBeforeBlocking] = hook;
}

/** @internal Called by every blocking wait just before it blocks the thread. */
export function beforeBlocking(): void {
  const hook = (globalThis as Hooked)[kBeforeBlocking];
  if (hook !== undefined) hook();
}
