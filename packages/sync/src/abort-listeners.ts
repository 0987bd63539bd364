// One "abort" listener per AbortSignal, however many weft operations wait on it. Adding one listener per
// operation makes Node print MaxListenersExceededWarning as soon as an 11th task (or wait) shares a signal,
// and raising the limit per signal would only hide that the listeners pile up. Here the signal carries one
// listener, which keeps the operations in insertion order; adding and removing one is O(1).

/**
 * What {@link listenAbort} calls when the signal aborts: an object with `handleEvent()`, like an
 * EventListener object, so a caller that already has an object per operation needs no closure.
 *
 * @example
 * ```ts
 * class Wait implements AbortListener {
 *   handleEvent(): void { this.reject(this.signal.reason); }
 * }
 * ```
 */
export interface AbortListener {
  handleEvent(): void;
}

/** The listener added to one signal, and the operations waiting on it. */
class SignalListeners {
  readonly #signal: AbortSignal;
  /** The first listener; from the second on, `many` holds them all (an entry is never left empty). */
  one: AbortListener | undefined;
  many: Set<AbortListener> | undefined;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  handleEvent(): void {
    registry.delete(this.#signal);
    this.#signal.removeEventListener("abort", this);
    const { one, many } = this;
    this.one = undefined;
    this.many = undefined;
    if (one !== undefined) notify(one);
    else if (many !== undefined) for (const l of many) notify(l);
  }
}

/** Calls one listener; what it throws is reported as uncaught without keeping the others from running. */
function notify(l: AbortListener): void {
  try {
    l.handleEvent();
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}

const registry = new WeakMap<AbortSignal, SignalListeners>();

/**
 * Calls `listener.handleEvent()` once when `signal` aborts, unless {@link unlistenAbort} removes it first.
 * However many listeners share a signal, the signal itself carries a single "abort" listener (no
 * MaxListenersExceededWarning); each call is O(1). Check `signal.aborted` first: an aborted signal never
 * fires again.
 *
 * @param signal - the signal to listen to
 * @param listener - called at most once; the same object may be registered once per signal
 * @example
 * ```ts
 * import { listenAbort, unlistenAbort } from "@weft/sync/extension";
 * const op = { handleEvent: () => console.log("aborted") };
 * listenAbort(controller.signal, op);
 * // ... when the operation ends first:
 * unlistenAbort(controller.signal, op);
 * ```
 */
export function listenAbort(signal: AbortSignal, listener: AbortListener): void {
  let r = registry.get(signal);
  if (r === undefined) {
    r = new SignalListeners(signal);
    registry.set(signal, r);
    signal.addEventListener("abort", r);
    r.one = listener;
  } else if (r.many !== undefined) {
    r.many.add(listener);
  } else {
    const many = new Set<AbortListener>();
    many.add(r.one!);
    many.add(listener);
    r.many = many;
    r.one = undefined;
  }
}

/**
 * Removes what {@link listenAbort} added; the signal's own listener goes with the last one. Does nothing
 * when `listener` is not registered on `signal` (for example after the signal aborted).
 *
 * @param signal - the signal given to listenAbort
 * @param listener - the listener given to listenAbort
 * @example
 * ```ts
 * unlistenAbort(signal, op);
 * ```
 */
export function unlistenAbort(signal: AbortSignal, listener: AbortListener): void {
  const r = registry.get(signal);
  if (r === undefined) return;
  if (r.one === listener) r.one = undefined;
  else if (r.many === undefined || !r.many.delete(listener) || r.many.size > 0) return;
  registry.delete(signal);
  signal.removeEventListener("abort", r);
}
